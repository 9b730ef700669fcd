import { render, toPlainText } from "@react-email/render";
import { createElement, type ComponentType } from "react";
import type { Locale } from "../app/lib/i18n";
import Invitation, { subject as invitationSubject, type InvitationProps } from "./invitation";
import ProposalSubmitted, { subject as proposalSubmittedSubject, type ProposalSubmittedProps } from "./proposal-submitted";
import ResetPassword, { subject as resetSubject, type ResetPasswordProps } from "./reset-password";
import RoleGranted, { subject as roleGrantedSubject, type RoleGrantedProps } from "./role-granted";
import ScreeningDecision, { subject as screeningDecisionSubject, type ScreeningDecisionProps } from "./screening-decision";
import AwardResult, { subject as awardResultSubject, type AwardResultProps } from "./award-result";
import JudgeAssignment, { subject as judgeAssignmentSubject, type JudgeAssignmentProps } from "./judge-assignment";
import PartnerInvitation, { subject as partnerInvitationSubject, type PartnerInvitationProps } from "./partner-invitation";
import JudgeInvitation, { subject as judgeInvitationSubject, type JudgeInvitationProps } from "./judge-invitation";
import ObjectionUpdate, { subject as objectionUpdateSubject, type ObjectionUpdateProps } from "./objection-update";
import MonitoringDecision, { subject as monitoringDecisionSubject, type MonitoringDecisionProps } from "./monitoring-decision";
import ProjectUpdate, { subject as projectUpdateSubject, type ProjectUpdateProps } from "./project-update";
import ProjectAlerts, { subject as projectAlertsSubject, type ProjectAlertsProps } from "./project-alerts";
import ScoringReminder, { subject as scoringReminderSubject, type ScoringReminderProps } from "./scoring-reminder";
import EvaluationInvitation, { subject as evaluationInvitationSubject, type EvaluationInvitationProps } from "./evaluation-invitation";
import EvaluationWithdrawn, { subject as evaluationWithdrawnSubject, type EvaluationWithdrawnProps } from "./evaluation-withdrawn";
import DonationReceipt, { subject as donationReceiptSubject, type DonationReceiptProps } from "./donation-receipt";
import DonationRefunded, { subject as donationRefundedSubject, type DonationRefundedProps } from "./donation-refunded";
import FoundationMoney, { subject as foundationMoneySubject, type FoundationMoneyProps } from "./foundation-money";
import DataExportReady, { subject as dataExportReadySubject, type DataExportReadyProps } from "./data-export-ready";
import GranteeReminder, { subject as granteeReminderSubject, type GranteeReminderProps } from "./grantee-reminder";
import NeedUpdate, { subject as needUpdateSubject, type NeedUpdateProps } from "./need-update";
import TrainingChanged, { subject as trainingChangedSubject, type TrainingChangedProps } from "./training-changed";
import TrainingCancelled, { subject as trainingCancelledSubject, type TrainingCancelledProps } from "./training-cancelled";
import VerifyEmail, { subject as verifySubject, type VerifyEmailProps } from "./verify-email";

interface Template<P extends { locale: Locale }> {
  component: ComponentType<P>;
  subject: (props: P) => string;
}

const define = <P extends { locale: Locale }>(t: Template<P>) => t;

/** Every notification email, by name. Adding one: a .tsx file here and a line below. */
export const templates = {
  "verify-email": define<VerifyEmailProps>({ component: VerifyEmail, subject: verifySubject }),
  "reset-password": define<ResetPasswordProps>({ component: ResetPassword, subject: resetSubject }),
  invitation: define<InvitationProps>({ component: Invitation, subject: invitationSubject }),
  "proposal-submitted": define<ProposalSubmittedProps>({ component: ProposalSubmitted, subject: proposalSubmittedSubject }),
  "role-granted": define<RoleGrantedProps>({ component: RoleGranted, subject: roleGrantedSubject }),
  "screening-decision": define<ScreeningDecisionProps>({ component: ScreeningDecision, subject: screeningDecisionSubject }),
  "judge-invitation": define<JudgeInvitationProps>({ component: JudgeInvitation, subject: judgeInvitationSubject }),
  "partner-invitation": define<PartnerInvitationProps>({ component: PartnerInvitation, subject: partnerInvitationSubject }),
  "judge-assignment": define<JudgeAssignmentProps>({ component: JudgeAssignment, subject: judgeAssignmentSubject }),
  "award-result": define<AwardResultProps>({ component: AwardResult, subject: awardResultSubject }),
  "objection-update": define<ObjectionUpdateProps>({ component: ObjectionUpdate, subject: objectionUpdateSubject }),
  "scoring-reminder": define<ScoringReminderProps>({ component: ScoringReminder, subject: scoringReminderSubject }),
  "evaluation-invitation": define<EvaluationInvitationProps>({ component: EvaluationInvitation, subject: evaluationInvitationSubject }),
  "evaluation-withdrawn": define<EvaluationWithdrawnProps>({ component: EvaluationWithdrawn, subject: evaluationWithdrawnSubject }),
  "project-update": define<ProjectUpdateProps>({ component: ProjectUpdate, subject: projectUpdateSubject }),
  "project-alerts": define<ProjectAlertsProps>({ component: ProjectAlerts, subject: projectAlertsSubject }),
  "grantee-reminder": define<GranteeReminderProps>({ component: GranteeReminder, subject: granteeReminderSubject }),
  "monitoring-decision": define<MonitoringDecisionProps>({ component: MonitoringDecision, subject: monitoringDecisionSubject }),
  "donation-receipt": define<DonationReceiptProps>({ component: DonationReceipt, subject: donationReceiptSubject }),
  "donation-refunded": define<DonationRefundedProps>({ component: DonationRefunded, subject: donationRefundedSubject }),
  "foundation-money": define<FoundationMoneyProps>({ component: FoundationMoney, subject: foundationMoneySubject }),
  "data-export-ready": define<DataExportReadyProps>({ component: DataExportReady, subject: dataExportReadySubject }),
  "need-update": define<NeedUpdateProps>({ component: NeedUpdate, subject: needUpdateSubject }),
  "training-cancelled": define<TrainingCancelledProps>({ component: TrainingCancelled, subject: trainingCancelledSubject }),
  "training-changed": define<TrainingChangedProps>({ component: TrainingChanged, subject: trainingChangedSubject }),
};

export type TemplateName = keyof typeof templates;
export type TemplateProps<N extends TemplateName> = Omit<Parameters<(typeof templates)[N]["subject"]>[0], "locale">;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders a template in the recipient's language to HTML and plain text. */
export async function renderEmail<N extends TemplateName>(
  name: N,
  props: TemplateProps<N>,
  locale: Locale,
): Promise<RenderedEmail> {
  const template = templates[name] as unknown as Template<{ locale: Locale }>;
  const full = { ...props, locale };
  const element = createElement(template.component, full);
  const html = await render(element);
  return { subject: template.subject(full), html, text: toPlainText(html) };
}
