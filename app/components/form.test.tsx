// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { createRoutesStub, Form } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfirmSubmit, ControlFrame, FormActions, getFormProps, PasswordField, SelectField, useZodForm } from "./form";
import { LocaleContext } from "~/lib/i18n";

function page(children: () => ReactNode) {
  const Stub = createRoutesStub([{ path: "/form", Component: () => <>{children()}</> }]);
  render(
    <LocaleContext.Provider value="en">
      <Stub initialEntries={["/form"]} />
    </LocaleContext.Provider>,
  );
}

afterEach(cleanup);

const Schema = z.object({ community: z.string().min(1), password: z.string().min(1), current: z.string().optional() });

function ConformForm() {
  const [form, fields] = useZodForm(Schema, { status: "error", initialValue: { community: "c2" }, error: { password: ["validation.required"] } }, { id: "f" });
  return (
    <Form method="post" {...getFormProps(form)}>
      <SelectField meta={fields.community} label="Community" placeholder="Choose" groups={[{ label: "Danghu", options: [{ value: "c1", label: "One" }, { value: "c2", label: "Two" }] }]} />
      <PasswordField meta={fields.password} label="New password" isNew />
      <PasswordField meta={fields.current} label="Current password" />
    </Form>
  );
}

describe("form fields", () => {
  it("a select groups its options and keeps what was chosen; password inputs say which password they are", () => {
    page(() => <ConformForm />);
    const select = screen.getByLabelText(/^Community/) as HTMLSelectElement;
    expect(select.value).toBe("c2");
    expect(select.options[0]!.value).toBe("");
    expect(select.querySelector("optgroup")?.getAttribute("label")).toBe("Danghu");
    const fresh = screen.getByLabelText(/^New password/) as HTMLInputElement;
    expect([fresh.type, fresh.autocomplete, fresh.getAttribute("aria-invalid")]).toEqual(["password", "new-password", "true"]);
    // its hint is the password rules, and both hint and error describe it
    expect(fresh.getAttribute("aria-describedby")).toBe("f-password-error f-password-hint");
    expect(document.getElementById("f-password-hint")?.textContent).toBeTruthy();
    const current = screen.getByLabelText("Current password") as HTMLInputElement;
    expect([current.autocomplete, current.getAttribute("aria-describedby")]).toEqual(["current-password", null]);
  });

  it("a control framed by hand gets its id, and its hint and errors wired to it", () => {
    page(() => (
      <>
        <ControlFrame id="reason" label="Reason" hint="Say why" errors={["validation.required"]}>
          {(p) => <textarea {...p} name="reason" />}
        </ControlFrame>
        <ControlFrame id="photo" label="Photo" errorId="photo-error">
          {(p) => <input {...p} type="file" name="photo" />}
        </ControlFrame>
      </>
    ));
    const reason = screen.getByLabelText("Reason");
    expect([reason.id, reason.getAttribute("aria-invalid"), reason.getAttribute("aria-describedby")]).toEqual(["reason", "true", "reason-hint reason-errors"]);
    expect(document.getElementById("reason-errors")?.textContent).toBeTruthy();
    const photo = screen.getByLabelText("Photo");
    expect([photo.getAttribute("aria-invalid"), photo.getAttribute("aria-describedby")]).toEqual([null, null]);
  });
});

describe("form actions", () => {
  it("the submit row sends the intent and offers a way back", () => {
    page(() => (
      <Form method="post">
        <FormActions submit="Save" intent="save" cancelTo="/back" />
      </Form>
    ));
    const button = screen.getByRole("button", { name: "Save" });
    expect([button.getAttribute("type"), button.getAttribute("name"), button.getAttribute("value")]).toEqual(["submit", "intent", "save"]);
    expect(screen.getByRole("link", { name: "Cancel" }).getAttribute("href")).toBe("/back");
  });

  it("a step that cannot be taken back asks first: its button is under the question", () => {
    page(() => (
      <Form method="post">
        <ConfirmSubmit label="Publish" question="Publish the results?" confirm="Yes, publish" intent="publish" />
      </Form>
    ));
    const details = screen.getByText("Publish").closest("details")!;
    expect(details.open).toBe(false);
    const confirm = screen.getByRole("button", { name: "Yes, publish", hidden: true });
    expect(details.contains(confirm)).toBe(true);
    expect([confirm.getAttribute("name"), confirm.getAttribute("value")]).toEqual(["intent", "publish"]);
    expect(details.textContent).toContain("Publish the results?");
  });
});
