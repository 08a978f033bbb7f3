//! Approvals (`folio approve`): text that differs from its last approved copy
//! (`unapproved-changes`, an error with `approval: required`), and a front matter whose
//! `reviewers` or `date-reviewed` say something the approvals file does not
//! (`approval-mismatch`).

use crate::content::approval::ApprovalStatus;
use crate::content::translation::{sections, Section, INTRO};
use crate::content::Publication;
use crate::diag::{Location, Severity};
use crate::finding::{Code, Finding};
use crate::project::ApprovalPolicy;

/// The findings of `publication` against its approvals.
pub fn check(
    publication: &Publication,
    status: &ApprovalStatus,
    policy: ApprovalPolicy,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let id = &publication.id;
    let severity = match policy {
        ApprovalPolicy::Required => Severity::Error,
        ApprovalPolicy::Optional => Severity::Warning,
    };
    let command = match &publication.translation {
        Some(t) => format!("{} {}", t.source_id, t.lang),
        None => id.clone(),
    };
    let hint = format!(
        "see what changed with `folio review {command}`; when it has been checked, raise \
         `version` and record the approval with `folio approve {command} --by \"Name, role\"`"
    );
    match (status.record.last(), &status.approved_body) {
        (None, _) if policy == ApprovalPolicy::Required => findings.push(
            Finding::new(
                Code::UnapprovedChanges,
                id,
                "this text has never been approved, and folio.yaml says `approval: required`",
                hint,
            )
            .severity(severity)
            .at(Location::at(&publication.file, 1, 1)),
        ),
        (Some(last), Some(approved)) => {
            let now = sections(&publication.body);
            let then = sections(approved);
            let (what, first) = describe(&now, &then);
            let at = first.map_or(1, |s| s.pos.line);
            findings.push(
                Finding::new(
                    Code::UnapprovedChanges,
                    id,
                    format!(
                        "the text differs from version {} approved on {} by {}: {what}",
                        last.version,
                        last.date,
                        last.by.join("; ")
                    ),
                    hint,
                )
                .severity(severity)
                .at(Location::at(&publication.file, at, 1)),
            );
        }
        _ => {}
    }
    findings.extend(mismatch(publication, status));
    findings
}

/// The sections that changed, were added or removed, in words, and the first of them now.
fn describe<'a>(now: &'a [Section], then: &[Section]) -> (String, Option<&'a Section>) {
    let title = |s: &Section| match s.id.as_str() {
        INTRO => "the opening text".to_string(),
        _ => format!("\"{}\"", s.title),
    };
    let changed: Vec<&Section> = now
        .iter()
        .filter(|s| then.iter().any(|t| t.id == s.id && t.hash != s.hash))
        .collect();
    let added: Vec<&Section> = now
        .iter()
        .filter(|s| !then.iter().any(|t| t.id == s.id))
        .collect();
    let removed: Vec<&Section> = then
        .iter()
        .filter(|t| !now.iter().any(|s| s.id == t.id))
        .collect();
    let mut parts = Vec::new();
    for (label, list) in [
        ("changed", &changed),
        ("added", &added),
        ("removed", &removed),
    ] {
        if !list.is_empty() {
            let names: Vec<String> = list.iter().map(|s| title(s)).collect();
            parts.push(format!("{label} {}", names.join(", ")));
        }
    }
    let first = now
        .iter()
        .find(|s| changed.iter().chain(&added).any(|c| c.id == s.id));
    if parts.is_empty() {
        ("the front matter changed".to_string(), None)
    } else {
        (format!("sections {}", parts.join("; ")), first)
    }
}

/// `reviewers` and `date-reviewed` against the approval of the current `version`: each
/// reviewer named must be among those who approved it (compared by the name before the
/// first comma), and the review cannot be dated after the approval.
fn mismatch(publication: &Publication, status: &ApprovalStatus) -> Vec<Finding> {
    let meta = &publication.meta;
    let Some(approval) = status.record.of_version(&meta.version) else {
        return Vec::new();
    };
    let name = |who: &str| {
        who.split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_lowercase()
    };
    let approvers: Vec<String> = approval.by.iter().map(|b| name(b)).collect();
    let record = status.record.file.display().to_string();
    let mut out = Vec::new();
    for reviewer in &meta.reviewers {
        if !approvers.contains(&name(reviewer)) {
            out.push(
                Finding::new(
                    Code::ApprovalMismatch,
                    &publication.id,
                    format!(
                        "`reviewers` names {reviewer}, but version {} was approved by {} ({record}, line {})",
                        approval.version,
                        approval.by.join("; "),
                        approval.line
                    ),
                    "list in `reviewers` the people who approved this version, or record their approval with `folio approve … --by`",
                )
                .at(meta.key_location(&publication.file, "reviewers")),
            );
        }
    }
    if meta.date_reviewed > approval.date {
        out.push(
            Finding::new(
                Code::ApprovalMismatch,
                &publication.id,
                format!(
                    "`date-reviewed` is {}, after version {} was approved on {} ({record}, line {})",
                    meta.date_reviewed, approval.version, approval.date, approval.line
                ),
                "give the date of the review that led to the approval",
            )
            .at(meta.key_location(&publication.file, "date-reviewed")),
        );
    }
    out
}
