//! Deadlines below the chat. There are two campaign-wide dates: the **units' deadline**, by
//! which units hand their innovations in (staff are reminded of it; a unit may have its own
//! instead), and SINOVIK's **national close**, until which the bureau reviews and selects. The
//! bureau sets either in the bot (or goes back to the dialog file's), sets or clears a unit's
//! own, and anyone sees the dates that apply to them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::{App, AppError};
use crate::{
    domain::UnitCode,
    policy::{self, Reach},
    storage::{CampaignDate, Unit, User},
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
    /// The units' deadline (every unit without its own); `None`: back to the dialog file's.
    Units(Option<DateTime<Utc>>),
    /// SINOVIK's national close; `None`: back to the dialog file's.
    NationalClose(Option<DateTime<Utc>>),
    /// One unit's own deadline, the unit by the code typed (checked by the use case).
    Unit { code: String, at: DateTime<Utc> },
    /// The unit follows the units' deadline again.
    ClearUnit { code: String },
}

/// A deadline changed; each with the date that applies now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineChanged {
    Units {
        at: Option<DateTime<Utc>>,
    },
    NationalClose {
        at: Option<DateTime<Utc>>,
    },
    Unit {
        unit: Unit,
        at: DateTime<Utc>,
    },
    /// The unit follows the units' deadline (`at`) again.
    UnitCleared {
        unit: Unit,
        at: Option<DateTime<Utc>>,
    },
}

/// Why no deadline changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineRefused {
    /// Only the bureau sets deadlines.
    Policy(policy::Refusal),
    /// No unit has the code typed.
    UnknownUnit(String),
    /// A units' deadline (general or a unit's) after the national close.
    AfterClose { close: DateTime<Utc> },
    /// A national close before the units' deadline.
    BeforeUnits { units: DateTime<Utc> },
}

/// The deadlines a person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineView {
    /// The bureau: both dates and every unit's own deadline.
    Everything {
        units: Option<DateTime<Utc>>,
        national_close: Option<DateTime<Utc>>,
        own: Vec<(Unit, DateTime<Utc>)>,
    },
    /// Anyone else: their unit's deadline and the national close.
    Own {
        unit: Option<DateTime<Utc>>,
        national_close: Option<DateTime<Utc>>,
    },
}

impl App {
    /// Sets or resets a campaign date, or sets or clears a unit's own deadline. A units'
    /// deadline may not fall after a national close still ahead, nor the close before a
    /// units' deadline fixed in the bot or the file.
    pub async fn set_deadline(
        &self,
        user: &User,
        change: DeadlineChange,
        now: DateTime<Utc>,
    ) -> Result<Result<DeadlineChanged, DeadlineRefused>, AppError> {
        if let Err(refusal) = super::runs_campaign(user) {
            return Ok(Err(DeadlineRefused::Policy(refusal)));
        }
        // A close already past belongs to an earlier round (the file or the bot not yet moved
        // on): it binds nothing new.
        let close = self.national_close().await?.filter(|close| *close > now);
        let after_close = |at: DateTime<Utc>| close.filter(|close| at > *close);
        let (code, at) = match change {
            DeadlineChange::Units(at) => {
                if let Some(close) = at.and_then(after_close) {
                    return Ok(Err(DeadlineRefused::AfterClose { close }));
                }
                self.storage
                    .set_campaign_date(CampaignDate::UnitsDeadline, at, Some(user.id), now)
                    .await?;
                return Ok(Ok(DeadlineChanged::Units {
                    at: self.deadline_for(None).await?,
                }));
            }
            DeadlineChange::NationalClose(at) => {
                // Only a units' deadline fixed in the bot or the file can clash: one derived
                // from the close moves with it.
                let fixed = match self
                    .storage
                    .campaign_date(CampaignDate::UnitsDeadline)
                    .await?
                {
                    Some(set) => Some(set),
                    None => self.file_units_deadline(),
                };
                if let (Some(at), Some(units)) = (at, fixed)
                    && at < units
                {
                    return Ok(Err(DeadlineRefused::BeforeUnits { units }));
                }
                self.storage
                    .set_campaign_date(CampaignDate::NationalClose, at, Some(user.id), now)
                    .await?;
                return Ok(Ok(DeadlineChanged::NationalClose {
                    at: self.national_close().await?,
                }));
            }
            DeadlineChange::Unit { code, at } => {
                if let Some(close) = after_close(at) {
                    return Ok(Err(DeadlineRefused::AfterClose { close }));
                }
                (code, Some(at))
            }
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
            None => DeadlineChanged::UnitCleared {
                unit,
                at: self.deadline_for(None).await?,
            },
        }))
    }

    /// The dialog file's own `units_deadline`, if it names one.
    fn file_units_deadline(&self) -> Option<DateTime<Utc>> {
        self.dialog
            .campaign()
            .units_deadline
            .and_then(|local| local.and_local_timezone(self.timezone).earliest())
            .map(|at| at.with_timezone(&Utc))
    }

    /// The deadlines `user` sees: for the bureau both dates and every unit's own, for anyone
    /// else their unit's deadline and the national close.
    pub async fn deadlines(&self, user: &User) -> Result<DeadlineView, AppError> {
        let national_close = self.national_close().await?;
        Ok(match policy::reach(user) {
            Reach::Everything => {
                let units = self.deadline_for(None).await?;
                let own = self
                    .storage
                    .units()
                    .await?
                    .into_iter()
                    .filter_map(|unit| unit.deadline().map(|at| (unit, at)))
                    .collect();
                DeadlineView::Everything {
                    units,
                    national_close,
                    own,
                }
            }
            Reach::Unit(_) | Reach::Nothing => DeadlineView::Own {
                unit: self.deadline_for(user.unit.as_ref()).await?,
                national_close,
            },
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

    /// 23:59 WIB (16:59 UTC) of a day in 2025.
    fn wib_evening(month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, month, day, 16, 59, 0).unwrap()
    }

    #[tokio::test]
    async fn two_dates_and_a_units_own_deadline_that_overrides_the_units_one() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(&dir, before_deadline()).await;
        let bureau = person(&app, BUREAU).await;
        let now = app.now();
        // The dialog file: the national close on 3 June, the units' deadline on 24 May.
        let close = wib_evening(6, 3);
        let file_units = wib_evening(5, 24);
        assert_eq!(app.national_close().await.unwrap(), Some(close));
        assert_eq!(app.deadline_for(None).await.unwrap(), Some(file_units));

        let units = wib_evening(5, 28);
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::Units(Some(units)), now)
                .await
                .unwrap(),
            Ok(DeadlineChanged::Units { at: Some(units) })
        );
        // Not after the close, neither for all units nor for one.
        let too_late = wib_evening(6, 10);
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::Units(Some(too_late)), now)
                .await
                .unwrap(),
            Err(DeadlineRefused::AfterClose { close })
        );
        let one_unit = DeadlineChange::Unit {
            code: "u1".into(),
            at: too_late,
        };
        assert_eq!(
            app.set_deadline(&bureau, one_unit, now).await.unwrap(),
            Err(DeadlineRefused::AfterClose { close })
        );
        // Nor the close before the units' deadline.
        assert_eq!(
            app.set_deadline(
                &bureau,
                DeadlineChange::NationalClose(Some(wib_evening(5, 27))),
                now
            )
            .await
            .unwrap(),
            Err(DeadlineRefused::BeforeUnits { units })
        );

        let own = wib_evening(5, 22);
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
        // The staff member sees the unit's own and the close (read again: the unit changed).
        let staff = person(&app, STAFF).await;
        assert_eq!(
            app.deadlines(&staff).await.unwrap(),
            DeadlineView::Own {
                unit: Some(own),
                national_close: Some(close)
            }
        );
        match app.deadlines(&bureau).await.unwrap() {
            DeadlineView::Everything {
                units: seen,
                national_close,
                own,
            } => {
                assert_eq!(seen, Some(units));
                assert_eq!(national_close, Some(close));
                assert_eq!(own.len(), 1);
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
        assert!(
            matches!(cleared, Ok(DeadlineChanged::UnitCleared { at, .. }) if at == Some(units))
        );
        let staff = person(&app, STAFF).await;
        assert_eq!(
            app.deadlines(&staff).await.unwrap(),
            DeadlineView::Own {
                unit: Some(units),
                national_close: Some(close)
            }
        );
        // Back to the file's units' deadline; a later close.
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::Units(None), now)
                .await
                .unwrap(),
            Ok(DeadlineChanged::Units {
                at: Some(file_units)
            })
        );
        let later = wib_evening(6, 13);
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::NationalClose(Some(later)), now)
                .await
                .unwrap(),
            Ok(DeadlineChanged::NationalClose { at: Some(later) })
        );
        // An unknown unit, and a person who may not.
        assert_eq!(
            app.set_deadline(&bureau, DeadlineChange::ClearUnit { code: "X".into() }, now)
                .await
                .unwrap(),
            Err(DeadlineRefused::UnknownUnit("X".into()))
        );
        assert!(matches!(
            app.set_deadline(&staff, DeadlineChange::Units(Some(units)), now)
                .await
                .unwrap(),
            Err(DeadlineRefused::Policy(_))
        ));
    }
}
