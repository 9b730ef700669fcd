import { describe, expect, it } from "vitest";
import { INVITATION_DAYS, invitationExpiresAt, invitationState } from "./staff";

describe("emailed invitations", () => {
  it("stop working INVITATION_DAYS after they are sent, and are expired from that instant", () => {
    const sent = new Date("2026-12-07T10:00:00Z");
    const expiresAt = invitationExpiresAt(sent);
    expect(expiresAt.toISOString()).toBe("2026-12-14T10:00:00.000Z");
    expect(INVITATION_DAYS).toBe(7);
    const inv = { acceptedAt: null, revokedAt: null, expiresAt };
    expect(invitationState(inv, new Date(expiresAt.getTime() - 1))).toBe("pending");
    expect(invitationState(inv, expiresAt)).toBe("expired");
  });
});
