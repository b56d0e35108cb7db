//! Deadlines below the chat: the bureau sets the general deadline or a unit's own (or clears a
//! unit's, which then follows the general one again), and anyone sees the deadline that applies
//! to them (the bureau: every one set).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::{App, AppError};
use crate::{
    domain::UnitCode,
    policy::{self, Reach},
    storage::{Unit, User},
};

/// Reads "2026-06-03 23:59", "2026-06-03T23:59", "03-06-2026 23:59" or a date alone (23:59 that
/// day) as a local time in the bot's time zone.
pub fn parse_local_deadline(raw: &str, timezone: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let naive = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d-%m-%Y %H:%M",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
    .or_else(|| {
        ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(raw, format).ok())
            .and_then(|date| date.and_hms_opt(23, 59, 0))
    })?;
    naive
        .and_local_timezone(timezone)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// What the bureau asked to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineChange {
    /// The general deadline: every unit without its own.
    General(DateTime<Utc>),
    /// One unit's own deadline, the unit by the code typed (checked by the use case).
    Unit { code: String, at: DateTime<Utc> },
    /// The unit follows the general deadline again.
    ClearUnit { code: String },
}

/// A deadline changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineChanged {
    /// The general deadline is now `at`.
    General { at: DateTime<Utc> },
    /// The unit's own deadline is now `at`.
    Unit { unit: Unit, at: DateTime<Utc> },
    /// The unit follows the general deadline again.
    UnitCleared { unit: Unit },
}

/// Why no deadline changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineRefused {
    /// Only the bureau sets deadlines.
    Policy(policy::Refusal),
    /// No unit has the code typed.
    UnknownUnit(String),
}

/// The deadlines a person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineView {
    /// The bureau: the general deadline and every unit's own.
    Everything {
        general: Option<DateTime<Utc>>,
        units: Vec<(Unit, DateTime<Utc>)>,
    },
    /// Anyone else: the deadline that applies to their unit.
    Own(Option<DateTime<Utc>>),
}

impl App {
    /// Sets the general deadline or a unit's own, or clears a unit's own.
    pub async fn set_deadline(
        &self,
        user: &User,
        change: DeadlineChange,
        now: DateTime<Utc>,
    ) -> Result<Result<DeadlineChanged, DeadlineRefused>, AppError> {
        if let Err(refusal) = super::runs_campaign(user) {
            return Ok(Err(DeadlineRefused::Policy(refusal)));
        }
        let (code, at) = match change {
            DeadlineChange::General(at) => {
                self.storage
                    .set_campaign_deadline(at, Some(user.id), now)
                    .await?;
                return Ok(Ok(DeadlineChanged::General { at }));
            }
            DeadlineChange::Unit { code, at } => (code, Some(at)),
            DeadlineChange::ClearUnit { code } => (code, None),
        };
        let unit = match UnitCode::parse(&code) {
            Ok(parsed) => self.storage.unit_by_code(&parsed).await?,
            Err(_) => None,
        };
        let Some(unit) = unit else {
            return Ok(Err(DeadlineRefused::UnknownUnit(code)));
        };
        self.storage
            .set_unit_deadline(unit.id, at, Some(user.id), now)
            .await?;
        Ok(Ok(match at {
            Some(at) => DeadlineChanged::Unit { unit, at },
            None => DeadlineChanged::UnitCleared { unit },
        }))
    }

    /// The deadlines `user` sees: for the bureau the general one and every unit's own, for
    /// anyone else the one of their unit.
    pub async fn deadlines(&self, user: &User) -> Result<DeadlineView, AppError> {
        Ok(match policy::reach(user) {
            Reach::Everything => {
                let general = self.deadline_for(None).await?;
                let units = self
                    .storage
                    .units()
                    .await?
                    .into_iter()
                    .filter_map(|unit| unit.deadline().map(|at| (unit, at)))
                    .collect();
                DeadlineView::Everything { general, units }
            }
            Reach::Unit(_) | Reach::Nothing => {
                DeadlineView::Own(self.deadline_for(user.unit.as_ref()).await?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Asia::Jakarta;

    use super::*;
    use crate::app::innovations::tests::{BUREAU, STAFF, app, before_deadline, person};

    #[test]
    fn local_deadlines_read_in_several_forms() {
        let expected = Jakarta
            .with_ymd_and_hms(2026, 6, 3, 23, 59, 0)
            .unwrap()
            .with_timezone(&Utc);
        for raw in [
            "2026-06-03 23:59",
            "2026-06-03T23:59",
            "03-06-2026 23:59",
            "03/06/2026 23:59",
            "2026-06-03",
            " 03-06-2026 ",
        ] {
            assert_eq!(parse_local_deadline(raw, Jakarta), Some(expected), "{raw}");
        }
        for raw in ["", "besok", "2026-13-01", "2026-06-03 25:00"] {
            assert_eq!(parse_local_deadline(raw, Jakarta), None, "{raw}");
        }
    }

    #[tokio::test]
    async fn a_units_own_deadline_overrides_the_general_one_until_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let bureau = person(&app, BUREAU).await;
        let staff = person(&app, STAFF).await;
        let now = app.now();
        let general = Utc.with_ymd_and_hms(2025, 5, 30, 16, 59, 0).unwrap();
        let own = Utc.with_ymd_and_hms(2025, 5, 25, 9, 0, 0).unwrap();
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::General(general), now)
                .await
                .unwrap(),
            Ok(DeadlineChanged::General { at: general })
        );
        let set = app
            .set_deadline(
                &bureau,
                DeadlineChange::Unit {
                    code: "u1".into(),
                    at: own,
                },
                now,
            )
            .await
            .unwrap();
        assert!(
            matches!(set, Ok(DeadlineChanged::Unit { ref unit, at }) if unit.id == 1 && at == own)
        );
        // The staff member sees the unit's own (read again: the unit's row changed).
        let staff = person(&app, staff.id).await;
        assert_eq!(
            app.deadlines(&staff).await.unwrap(),
            DeadlineView::Own(Some(own))
        );
        match app.deadlines(&bureau).await.unwrap() {
            DeadlineView::Everything {
                general: seen,
                units,
            } => {
                assert_eq!(seen, Some(general));
                assert_eq!(units.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let cleared = app
            .set_deadline(
                &bureau,
                DeadlineChange::ClearUnit { code: "U1".into() },
                now,
            )
            .await
            .unwrap();
        assert!(matches!(cleared, Ok(DeadlineChanged::UnitCleared { .. })));
        let staff = person(&app, staff.id).await;
        assert_eq!(
            app.deadlines(&staff).await.unwrap(),
            DeadlineView::Own(Some(general))
        );
        // An unknown unit, and a person who may not.
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::ClearUnit { code: "X".into() }, now)
                .await
                .unwrap(),
            Err(DeadlineRefused::UnknownUnit("X".into()))
        );
        assert!(matches!(
            app.set_deadline(&staff, DeadlineChange::General(general), now)
                .await
                .unwrap(),
            Err(DeadlineRefused::Policy(_))
        ));
    }
}
