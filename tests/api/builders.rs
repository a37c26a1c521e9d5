//! Test data builders (crates.io's `CrateBuilder`): the city a test needs, built through the
//! API as a Dishub admin would, named by what the test cares about.
//!
//! ```ignore
//! let city = app.city().spots(&["JMB-PSR-001", "JMB-PSR-002"]).on_duty_since(DAY_START).build().await;
//! ```

use serde_json::json;

use crate::helpers::{TestApp, merchant_body, spot_body, zone_body};

/// What [`CityBuilder::build`] made: an admin's token and the ids, in the order asked for.
pub struct City {
    pub admin: String,
    pub merchant_id: i64,
    pub zone_id: i64,
    /// One per spot code, in order.
    pub spots: Vec<i64>,
    /// One attendant per spot (when on duty), in the spots' order.
    pub attendants: Vec<i64>,
}

pub struct CityBuilder<'a> {
    app: &'a TestApp,
    admin: Option<&'a str>,
    zone: &'a str,
    spots: Vec<String>,
    on_duty_since: Option<&'a str>,
}

impl TestApp {
    /// A city of one zone (`PSR`, Rp2.000/Rp3.000, 60/40, target Rp60.000) with spot
    /// JMB-PSR-001 and nobody on duty, unless the builder says otherwise.
    pub fn city(&self) -> CityBuilder<'_> {
        CityBuilder {
            app: self,
            admin: None,
            zone: "PSR",
            spots: vec!["JMB-PSR-001".into()],
            on_duty_since: None,
        }
    }
}

impl<'a> CityBuilder<'a> {
    /// Built by this admin (a test that already holds a token); a new admin otherwise.
    pub fn by(mut self, admin: &'a str) -> Self {
        self.admin = Some(admin);
        self
    }

    /// The spots' codes (terminal ids are the codes without dashes).
    pub fn spots(mut self, codes: &[&str]) -> Self {
        self.spots = codes.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    /// An attendant at each spot, on duty from this RFC 3339 instant with no end. The first
    /// logs in with phone 081274000001, the second 081274000002, … and the test PIN.
    pub fn on_duty_since(mut self, starts_at: &'a str) -> Self {
        self.on_duty_since = Some(starts_at);
        self
    }

    pub async fn build(self) -> City {
        let app = self.app;
        let admin = match self.admin {
            Some(token) => token.to_owned(),
            None => app.admin_token().await,
        };
        let merchant = app
            .post("/api/v1/merchant-accounts", &admin, merchant_body())
            .await;
        assert_eq!(merchant.status, 201, "{}", merchant.body);
        let merchant_id = merchant.body["id"].as_i64().unwrap();
        let zone = app
            .post("/api/v1/zones", &admin, zone_body(self.zone, merchant_id))
            .await;
        assert_eq!(zone.status, 201, "{}", zone.body);
        let zone_id = zone.body["id"].as_i64().unwrap();
        let mut spots = Vec::new();
        for code in &self.spots {
            let spot = app
                .post(
                    &format!("/api/v1/zones/{zone_id}/spots"),
                    &admin,
                    spot_body(code),
                )
                .await;
            assert_eq!(spot.status, 201, "{}", spot.body);
            spots.push(spot.body["id"].as_i64().unwrap());
        }
        let mut attendants = Vec::new();
        if let Some(starts_at) = self.on_duty_since {
            for (i, spot) in spots.iter().enumerate() {
                let n = i + 1;
                let attendant = app.insert_attendant(
                    &format!("15710105058500{n:02}"),
                    &format!("0812740000{n:02}"),
                    &format!("KTA-{n}"),
                );
                let r = app
                    .post(
                        &format!("/api/v1/attendants/{attendant}/assignments"),
                        &admin,
                        json!({"spot_id": spot, "starts_at": starts_at}),
                    )
                    .await;
                assert_eq!(r.status, 201, "{}", r.body);
                attendants.push(attendant);
            }
        }
        City {
            admin,
            merchant_id,
            zone_id,
            spots,
            attendants,
        }
    }
}
