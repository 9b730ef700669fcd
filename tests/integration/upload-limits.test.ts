import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withParams } from "~/domain/messages";
import { resetEnvCache } from "~/lib/env.server";
import * as reportRoute from "~/routes/projects.$ref.reports.$reportId";
import { reportView, startReport } from "~/services/projects/reports.server";
import { db } from "../support/db";
import { fundedProject } from "../support/project-fixture";
import { outcome, signedInRequest } from "../support/requests";

type FormReply = { intent: string; result: { initialValue: Record<string, unknown> | null; error?: Record<string, string[] | null> } };

const LIMIT = 64 * 1024;

/**
 * A report form as the browser streams it, with a photo of `photoBytes` made 16 KiB at a time:
 * neither the test nor the server ever has the whole photo. `pulled()` counts what was read.
 */
function streamedReport(fields: Record<string, string>, photoBytes: number) {
  const boundary = "----WebKitFormBoundaryQ1w2E3r4T5y6U7i8";
  const enc = new TextEncoder();
  const parts: Uint8Array[] = Object.entries(fields).map(([k, v]) => enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="活动照片.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`));
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const chunk = new Uint8Array(16 * 1024).fill(0xff);
  let sent = 0;
  let tailSent = false;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      let next: Uint8Array | undefined = parts.shift();
      if (!next && sent < photoBytes) {
        next = chunk.slice(0, Math.min(chunk.length, photoBytes - sent));
        sent += next.length;
      }
      if (!next && !tailSent) {
        next = tail;
        tailSent = true;
      }
      if (!next) return controller.close();
      pulled += next.length;
      controller.enqueue(next);
    },
  });
  return { init: { method: "POST", body, duplex: "half", headers: { "content-type": `multipart/form-data; boundary=${boundary}` } } as RequestInit, pulled: () => pulled };
}

describe("an upload over UPLOAD_MAX_BYTES", () => {
  beforeAll(() => {
    process.env.UPLOAD_MAX_BYTES = String(LIMIT);
    resetEnvCache();
  });
  afterAll(() => {
    delete process.env.UPLOAD_MAX_BYTES;
    resetEnvCache();
  });

  it("is cut off while it streams and answered next to its field, with what was typed kept", async () => {
    const f = await fundedProject();
    const ref = f.project.referenceNo;
    const milestone = f.project.milestones.find((m) => m.position === 1)!;
    const started = await startReport(f.grantee, ref, milestone.id);
    if (!started.ok) throw new Error(started.problem.formErrors.join());
    const { version } = await db().milestoneReport.findUniqueOrThrow({ where: { id: started.reportId } });
    const url = `/projects/${ref}/reports/${started.reportId}`;

    const photoBytes = 50 * LIMIT;
    const upload = streamedReport({ intent: "save", version: String(version), narrative: "本月开展助老服务 12 次", beneficiariesServed: "36" }, photoBytes);
    const answered = await outcome(async () =>
      reportRoute.action({ request: await signedInRequest(f.grantee.id, url, upload.init), params: { ref, reportId: started.reportId }, context: {} } as never),
    );
    // the whole body was read (to keep the fields), none of the photo held
    expect(upload.pulled()).toBeGreaterThan(photoBytes);
    expect((answered.value as { init: { status: number } }).init.status).toBe(400);
    const reply = (answered.value as { data: FormReply }).data;
    expect(reply.intent).toBe("save");
    expect(reply.result.initialValue).toMatchObject({ narrative: "本月开展助老服务 12 次", beneficiariesServed: "36" });
    expect(reply.result.error?.photos).toEqual([withParams("monitoring.upload.failed", { name: "活动照片.jpg" }), withParams("upload.error.tooLarge", { limit: "64 KB" })]);
    // the text is saved; no photo is
    const view = await reportView(f.grantee, ref, started.reportId);
    expect(view.report.narrative).toBe("本月开展助老服务 12 次");
    expect(view.photos).toEqual([]);
  });
});
