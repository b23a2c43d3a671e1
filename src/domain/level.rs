//! Level derivation: a user's level is the id of the last rung of the ordered `levels`
//! ladder whose `key:value` the user holds as a private label; the climb stops at the
//! first missing rung. Pure, so identity, resource and admin flows share it.

/// One rung of the ladder as stored (`id` is the level number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRung {
    /// Level number.
    pub id: i64,
    /// Label key the rung requires.
    pub key: String,
    /// Label value the rung requires.
    pub value: String,
}

/// Computes the level from the ladder (any order) and the user's private labels.
pub fn derive_level(ladder: &[LevelRung], private_labels: &[(String, String)]) -> i32 {
    let mut rungs: Vec<&LevelRung> = ladder.iter().collect();
    rungs.sort_by_key(|r| r.id);
    let mut level = 0;
    for rung in rungs {
        let held = private_labels
            .iter()
            .any(|(k, v)| *k == rung.key && *v == rung.value);
        if !held {
            break;
        }
        level = i32::try_from(rung.id).unwrap_or(i32::MAX);
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ladder() -> Vec<LevelRung> {
        [(1, "email"), (2, "phone"), (3, "identity"), (4, "document")]
            .into_iter()
            .map(|(id, key)| LevelRung {
                id,
                key: key.into(),
                value: "verified".into(),
            })
            .collect()
    }

    fn labels(keys: &[&str]) -> Vec<(String, String)> {
        keys.iter()
            .map(|k| ((*k).into(), "verified".into()))
            .collect()
    }

    #[test]
    fn climbs_until_the_first_gap() {
        assert_eq!(derive_level(&ladder(), &labels(&[])), 0);
        assert_eq!(derive_level(&ladder(), &labels(&["email"])), 1);
        assert_eq!(
            derive_level(&ladder(), &labels(&["email", "phone", "document"])),
            2
        );
        assert_eq!(derive_level(&ladder(), &labels(&["phone"])), 0);
        assert_eq!(
            derive_level(
                &ladder(),
                &labels(&["email", "phone", "identity", "document"])
            ),
            4
        );
    }
}
