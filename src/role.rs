//! Staff roles and the one table that says which role may do what.
//!
//! The server checks every server function and route against [`Role::may`];
//! the pages use the same table only to hide what a role cannot do.

use serde::{Deserialize, Serialize};

/// A staff member's role. Ordered by reach: an admin may do all a manager may, and so on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Agent,
    Manager,
    Admin,
}

/// Something a staff member may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    /// See one's own account and change one's password.
    UseOwnAccount,
    /// See the incident overview on the home page.
    ViewIncident,
    /// Create, disable and reset staff accounts.
    ManageStaff,
    /// List and search the affected customers (masked card only).
    SearchCustomers,
    /// Import affected-customer files; decides who is on the customer list, so not for agents.
    ImportCustomers,
    /// Edit the incident profile every letter, email and page reads: admins only, as it speaks for the company.
    EditIncident,
    /// Edit the hotline's periods, hours, closures, openings and holiday corrections.
    ManageSchedule,
    /// Edit letter and email templates, preview them and send a test email to oneself.
    EditTemplates,
    /// Download letters, batch PDFs and mailing lists: exports of personal data, so managers only.
    ProduceLetters,
    /// See a customer's card-reissue and refund state and record what the customer asked for
    /// (a reissue request, a refund claim received): what an agent does from the call screen.
    RecordCaseRequest,
    /// Every reissue and refund transition, corrections with a reason, and bulk updates from card companies.
    ManageCaseStatus,
    /// The programme dashboard, the regulator report and the customer exports.
    ViewProgramme,
    /// Read and export the audit trail.
    ViewAudit,
    /// Close the programme: blank customers' personal data after a chosen date (dry run first).
    PurgePersonalData,
    /// See notification campaigns and their progress (read-only).
    ViewCampaigns,
    /// Create, start, pause, resume and cancel campaigns; mark bounced emails and returned letters.
    RunCampaigns,
    /// Find callers, check their identity, log calls and work the callback queue.
    LogCalls,
    /// Maintain the disposition codes (call categories) agents choose from.
    ManageDispositions,
    /// Acknowledge and resolve escalated calls (the escalation contacts).
    HandleEscalations,
    /// The call-desk report: calls per day and hour, categories, outcomes, callbacks; the call-log export.
    ViewCallReports,
    /// Edit the public status page's FAQ and see the lookup report (failure spikes).
    ManageStatusPage,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Agent, Role::Manager, Role::Admin];

    /// The permission table. Adding a capability forces a decision here for every role.
    pub fn may(self, capability: Capability) -> bool {
        match capability {
            Capability::UseOwnAccount | Capability::ViewIncident => true,
            Capability::ManageStaff => self == Role::Admin,
            Capability::SearchCustomers => true,
            Capability::ImportCustomers => self != Role::Agent,
            Capability::EditIncident => self == Role::Admin,
            Capability::ManageSchedule => self != Role::Agent,
            Capability::EditTemplates | Capability::ProduceLetters => self != Role::Agent,
            Capability::RecordCaseRequest => true,
            Capability::ManageCaseStatus | Capability::ViewProgramme => self != Role::Agent,
            Capability::ViewAudit => self != Role::Agent,
            Capability::PurgePersonalData => self != Role::Agent,
            Capability::ViewCampaigns | Capability::LogCalls => true,
            Capability::RunCampaigns => self != Role::Agent,
            Capability::ManageDispositions | Capability::HandleEscalations => self != Role::Agent,
            Capability::ViewCallReports | Capability::ManageStatusPage => self != Role::Agent,
        }
    }

    /// The stable name used in the database, the command line and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(input: &str) -> Result<Role, UnknownRole> {
        match input.trim().to_ascii_lowercase().as_str() {
            "agent" => Ok(Role::Agent),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            _ => Err(UnknownRole(input.trim().to_owned())),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected agent, manager or admin")]
pub struct UnknownRole(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_admin_manages_staff() {
        assert!(Role::Admin.may(Capability::ManageStaff));
        assert!(!Role::Manager.may(Capability::ManageStaff));
        assert!(!Role::Agent.may(Capability::ManageStaff));
    }

    #[test]
    fn every_role_searches_customers_but_only_managers_and_admins_import_them() {
        assert!(Role::ALL.iter().all(|role| role.may(Capability::SearchCustomers)));
        assert!(!Role::Agent.may(Capability::ImportCustomers));
        assert!(Role::Manager.may(Capability::ImportCustomers));
        assert!(Role::Admin.may(Capability::ImportCustomers));
    }

    #[test]
    fn only_an_admin_edits_the_incident_but_managers_also_edit_the_hotline_schedule() {
        assert!(Role::Admin.may(Capability::EditIncident));
        assert!(!Role::Manager.may(Capability::EditIncident));
        assert!(!Role::Agent.may(Capability::EditIncident));
        assert!(Role::Admin.may(Capability::ManageSchedule));
        assert!(Role::Manager.may(Capability::ManageSchedule));
        assert!(!Role::Agent.may(Capability::ManageSchedule));
    }

    #[test]
    fn agents_record_requests_but_only_managers_and_admins_run_the_programme() {
        assert!(Role::ALL.iter().all(|role| role.may(Capability::RecordCaseRequest)));
        for capability in [
            Capability::EditTemplates,
            Capability::ProduceLetters,
            Capability::ManageCaseStatus,
            Capability::ViewProgramme,
            Capability::ViewAudit,
        ] {
            assert!(!Role::Agent.may(capability), "{capability:?}");
            assert!(Role::Manager.may(capability), "{capability:?}");
            assert!(Role::Admin.may(capability), "{capability:?}");
        }
    }

    #[test]
    fn only_managers_and_admins_purge_personal_data() {
        assert!(!Role::Agent.may(Capability::PurgePersonalData));
        assert!(Role::Manager.may(Capability::PurgePersonalData));
        assert!(Role::Admin.may(Capability::PurgePersonalData));
    }

    #[test]
    fn every_role_uses_its_own_account() {
        assert!(Role::ALL.iter().all(|role| role.may(Capability::UseOwnAccount)));
    }

    #[test]
    fn a_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse(" Manager "), Ok(Role::Manager));
        assert!(Role::parse("root").is_err());
    }
}
