//! The permission matrix, route by route: every route of the OpenAPI document is sent by
//! every role and without a token, and must answer as `Role::allows` says. Contact details
//! stay out of search hits for roles that may not see them.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use qiaolink::auth::{Permission, Role};
use serde_json::{Value, json};

use crate::helpers::{Response, TestApp};

/// The person every role looks for; officers and admins may see the contact details.
const PERSON_NAME: &str = "黃志明";
const PERSON_EMAIL: &str = "dwong@example.org";
const PERSON_PHONE: &str = "+1-555-0101";

/// What fills a row's `{id}`: a record made at the start of the test, or one made for each
/// caller (for deletes, so that no caller finds its record gone).
#[derive(Clone, Copy, Debug)]
enum Id {
    None,
    Organization,
    Person,
    Membership,
    Interaction,
    Event,
    Invitation,
    NewOrganization,
    NewPerson,
    NewMembership,
    NewInteraction,
}

/// One route as a caller sends it.
struct Row {
    method: Method,
    /// The path exactly as the OpenAPI document writes it.
    template: &'static str,
    /// What the route needs; None for the open routes (health and readiness).
    permission: Option<Permission>,
    id: Id,
    /// Other path parameters, placeholder and value: `("{cc}", "US")`.
    params: Vec<(&'static str, &'static str)>,
    /// Put after the path as written, `?` included.
    query: &'static str,
    /// A body the route accepts, so an allowed caller gets a 2xx and not a 422.
    body: Option<Value>,
    /// An allowed caller may also get a 404 (set with `Row { may_404: true, ..route(…) }`).
    may_404: bool,
}

fn route(method: Method, template: &'static str, permission: Option<Permission>) -> Row {
    Row {
        method,
        template,
        permission,
        id: Id::None,
        params: Vec::new(),
        query: "",
        body: None,
        may_404: false,
    }
}

impl Row {
    fn on(mut self, id: Id) -> Row {
        self.id = id;
        self
    }

    fn param(mut self, placeholder: &'static str, value: &'static str) -> Row {
        self.params.push((placeholder, value));
        self
    }

    fn query(mut self, query: &'static str) -> Row {
        self.query = query;
        self
    }

    fn body(mut self, body: Value) -> Row {
        self.body = Some(body);
        self
    }

    fn path(&self, id: &str) -> String {
        let mut path = self.template.replace("{id}", id);
        for (placeholder, value) in &self.params {
            path = path.replace(placeholder, value);
        }
        format!("{path}{}", self.query)
    }
}

/// THE MATRIX. Every route of the API has at least one row here: a new route must be added
/// to this table (`every_documented_route_has_a_row` fails until it is). Deletes come last
/// and each caller deletes a record of its own.
fn table(f: &Fixture) -> Vec<Row> {
    use Permission::*;
    vec![
        route(Method::GET, "/healthz", None),
        route(Method::GET, "/readyz", None),
        // Organizations
        route(Method::GET, "/api/v1/organizations", Some(ReadDirectory)),
        route(Method::POST, "/api/v1/organizations", Some(WriteContacts)).body(new_organization()),
        route(Method::GET, "/api/v1/organizations/{id}", Some(ReadDirectory)).on(Id::Organization),
        route(Method::PATCH, "/api/v1/organizations/{id}", Some(WriteContacts))
            .on(Id::Organization)
            .body(json!({"city": "Oakland"})),
        // People
        route(Method::GET, "/api/v1/people", Some(ReadDirectory)),
        route(Method::POST, "/api/v1/people", Some(WriteContacts)).body(json!({"name_zh": "譚美玲", "country": "US"})),
        route(Method::GET, "/api/v1/people/{id}", Some(ReadDirectory)).on(Id::Person),
        route(Method::PATCH, "/api/v1/people/{id}", Some(WriteContacts))
            .on(Id::Person)
            .body(json!({"city": "Oakland"})),
        // Memberships
        route(Method::GET, "/api/v1/memberships", Some(ReadDirectory)),
        route(Method::POST, "/api/v1/memberships", Some(WriteContacts))
            .body(json!({"person_id": f.person, "organization_id": f.organization, "role": "president", "since": "2019"})),
        route(Method::PATCH, "/api/v1/memberships/{id}", Some(WriteContacts))
            .on(Id::Membership)
            .body(json!({"role": "vice_president"})),
        // Interactions
        route(Method::GET, "/api/v1/interactions", Some(ReadInteractions)),
        route(Method::POST, "/api/v1/interactions", Some(WriteContacts)).body(new_interaction(f)),
        route(Method::GET, "/api/v1/interactions/{id}", Some(ReadInteractions)).on(Id::Interaction),
        route(Method::PATCH, "/api/v1/interactions/{id}", Some(WriteContacts))
            .on(Id::Interaction)
            .body(json!({"summary": "Visited the hall again"})),
        // Import and export. The import body is a JSON Lines file of one line.
        route(Method::POST, "/api/v1/imports", Some(Import))
            .query("?filename=matrix.jsonl&dry_run=true")
            .body(
                json!({"type": "organization", "external_id": "matrix-import", "name_zh": "矩陣同鄉會", "kind": "other", "country": "US"}),
            ),
        // Organizations alone need no approval; personal data needs an admin's (or their approval).
        route(Method::GET, "/api/v1/exports", Some(Export)).query("?type=organization"),
        route(Method::GET, "/api/v1/exports", Some(ApproveExports)),
        route(Method::POST, "/api/v1/export-requests", Some(Export))
            .body(json!({"type": "person", "country": "US", "purpose": "invitation list for the consulate"})),
        route(Method::GET, "/api/v1/export-requests", Some(Export)),
        Row {
            may_404: true,
            ..route(Method::POST, "/api/v1/export-requests/{id}/{decision}", Some(ApproveExports))
                .on(Id::Person)
                .param("{decision}", "approve")
        },
        // Places and search
        route(Method::GET, "/api/v1/places", Some(ReadDirectory)),
        route(Method::GET, "/api/v1/places/resolve", Some(ReadDirectory)).query("?q=Toisan"),
        route(Method::POST, "/api/v1/search", Some(ReadDirectory)).body(json!({"q": PERSON_NAME})),
        // Events
        route(Method::GET, "/api/v1/events", Some(ReadDirectory)),
        route(Method::POST, "/api/v1/events", Some(ManageEvents))
            .body(json!({"name_zh": "矩陣茶話會", "kind": "tea_party", "starts_on": "2027-03-01"})),
        route(Method::GET, "/api/v1/events/{id}", Some(ReadDirectory)).on(Id::Event),
        route(Method::PATCH, "/api/v1/events/{id}", Some(ManageEvents))
            .on(Id::Event)
            .body(json!({"venue": "江门"})),
        route(Method::POST, "/api/v1/events/{id}/guests", Some(ManageEvents))
            .on(Id::Event)
            .body(json!({"people": [f.person]})),
        route(Method::GET, "/api/v1/events/{id}/guests", Some(ManageEvents)).on(Id::Event),
        route(Method::GET, "/api/v1/events/{id}/invitations", Some(ReadDirectory)).on(Id::Event),
        route(Method::POST, "/api/v1/events/{id}/send", Some(ManageEvents)).on(Id::Event),
        // Accepting may be repeated: accepted stays accepted.
        route(Method::POST, "/api/v1/invitations/{id}/{action}", Some(ManageEvents))
            .on(Id::Invitation)
            .param("{action}", "accept"),
        // A second scan of the same guest answers when they arrived.
        route(Method::POST, "/api/v1/events/{id}/check-in", Some(CheckIn))
            .on(Id::Event)
            .body(json!({"code": f.invitation})),
        route(Method::GET, "/api/v1/events/{id}/summary", Some(ReadDirectory)).on(Id::Event),
        // Reports: on screen for the directory, as files for export (which every role with
        // export also has the directory for).
        route(Method::GET, "/api/v1/reports/countries", Some(ReadDirectory)),
        route(Method::GET, "/api/v1/reports/countries", Some(Export)).query("?format=csv"),
        route(Method::GET, "/api/v1/reports/countries/{cc}", Some(ReadDirectory)).param("{cc}", "US"),
        route(Method::GET, "/api/v1/reports/countries/{cc}", Some(Export))
            .param("{cc}", "US")
            .query("?format=csv"),
        // Duplicates: no pair or merge by these ids exists, so an allowed caller gets a 404.
        route(Method::GET, "/api/v1/duplicates", Some(WriteContacts)),
        Row {
            may_404: true,
            ..route(Method::POST, "/api/v1/duplicates/dismiss", Some(WriteContacts)).body(json!({"a": f.person, "b": f.organization}))
        },
        Row {
            may_404: true,
            ..route(Method::POST, "/api/v1/merges", Some(WriteContacts)).body(json!({"survivor": f.person, "merged": f.organization}))
        },
        Row {
            may_404: true,
            ..route(Method::POST, "/api/v1/merges/{id}/undo", Some(WriteContacts)).on(Id::Person)
        },
        // Consent and data-subject requests
        route(Method::GET, "/api/v1/people/{id}/consent", Some(ReadContactDetails)).on(Id::Person),
        route(Method::POST, "/api/v1/people/{id}/consent", Some(WriteContacts))
            .on(Id::Person)
            .body(json!({"status": "granted", "purposes": ["events"], "source": "consent form"})),
        route(Method::GET, "/api/v1/people/{id}/data", Some(DataRights)).on(Id::Person),
        // Deletes, last, each on a record made for the caller.
        route(Method::DELETE, "/api/v1/memberships/{id}", Some(WriteContacts)).on(Id::NewMembership),
        route(Method::DELETE, "/api/v1/interactions/{id}", Some(WriteContacts)).on(Id::NewInteraction),
        route(Method::DELETE, "/api/v1/people/{id}", Some(WriteContacts)).on(Id::NewPerson),
        route(Method::POST, "/api/v1/people/{id}/erase", Some(DataRights))
            .on(Id::NewPerson)
            .body(json!({"reason": "request received by letter"})),
        route(Method::DELETE, "/api/v1/organizations/{id}", Some(WriteContacts)).on(Id::NewOrganization),
    ]
}

fn new_organization() -> Value {
    json!({"name_zh": "寧陽會館", "kind": "hometown_association", "country": "US"})
}

fn new_interaction(f: &Fixture) -> Value {
    json!({"date": "2024-05-02", "kind": "visit", "summary": "Visited the hall", "people": [f.person], "organizations": [f.organization]})
}

/// Creates a record through the API and returns its id.
async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let r = app.post(path, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "POST {path}: {}", r.body);
    r.body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("POST {path} answered without an id: {}", r.body))
        .to_string()
}

/// The records the rows work on: one of each, linked together.
#[derive(Default)]
struct Fixture {
    organization: String,
    person: String,
    membership: String,
    interaction: String,
    event: String,
    invitation: String,
}

impl Fixture {
    async fn create(app: &TestApp, admin: &str) -> Fixture {
        let organization = created(app, admin, "/api/v1/organizations", new_organization()).await;
        let person = created(
            app,
            admin,
            "/api/v1/people",
            json!({"name_zh": PERSON_NAME, "name_latin": "David Wong Chi-ming", "country": "US", "city": "San Francisco",
                   "email": PERSON_EMAIL, "phone": PERSON_PHONE,
                   "consent": {"status": "granted", "date": "2026-01-05", "purposes": ["events"]}}),
        )
        .await;
        let membership = created(
            app,
            admin,
            "/api/v1/memberships",
            json!({"person_id": person, "organization_id": organization, "role": "president", "since": "2019"}),
        )
        .await;
        let mut fixture = Fixture {
            organization,
            person,
            membership,
            ..Fixture::default()
        };
        fixture.interaction = created(app, admin, "/api/v1/interactions", new_interaction(&fixture)).await;
        fixture.event = created(
            app,
            admin,
            "/api/v1/events",
            json!({"name_zh": "新春海外侨胞茶话会", "kind": "tea_party", "starts_on": "2027-02-01"}),
        )
        .await;
        let added = app
            .post(
                &format!("/api/v1/events/{}/guests", fixture.event),
                admin,
                json!({"people": [fixture.person]}),
            )
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        let guests = app.get(&format!("/api/v1/events/{}/invitations", fixture.event), admin).await;
        fixture.invitation = guests.body["items"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("the guest list has the person: {}", guests.body))
            .to_string();
        fixture
    }

    /// The id for a row's `{id}`; the `New…` kinds make a record for this one request.
    async fn id_for(&self, app: &TestApp, admin: &str, id: Id) -> String {
        match id {
            Id::None => String::new(),
            Id::Organization => self.organization.clone(),
            Id::Person => self.person.clone(),
            Id::Membership => self.membership.clone(),
            Id::Interaction => self.interaction.clone(),
            Id::Event => self.event.clone(),
            Id::Invitation => self.invitation.clone(),
            Id::NewOrganization => created(app, admin, "/api/v1/organizations", new_organization()).await,
            Id::NewPerson => created(app, admin, "/api/v1/people", json!({"name_zh": "伍嬋芝", "country": "US"})).await,
            Id::NewMembership => {
                let organization = created(app, admin, "/api/v1/organizations", new_organization()).await;
                created(
                    app,
                    admin,
                    "/api/v1/memberships",
                    json!({"person_id": self.person, "organization_id": organization, "role": "member"}),
                )
                .await
            }
            Id::NewInteraction => created(app, admin, "/api/v1/interactions", new_interaction(self)).await,
        }
    }
}

/// What a caller must get from a row.
#[derive(Clone, Copy)]
enum Expected {
    Allowed { may_404: bool },
    Refused(StatusCode),
}

impl Expected {
    fn of(row: &Row, role: Option<Role>) -> Expected {
        match (row.permission, role) {
            (None, _) => Expected::Allowed { may_404: row.may_404 },
            (Some(_), None) => Expected::Refused(StatusCode::UNAUTHORIZED),
            (Some(permission), Some(role)) if role.allows(permission) => Expected::Allowed { may_404: row.may_404 },
            (Some(_), Some(_)) => Expected::Refused(StatusCode::FORBIDDEN),
        }
    }

    fn accepts(self, got: &Response) -> bool {
        match self {
            Expected::Allowed { may_404 } => got.status.is_success() || (may_404 && got.status == StatusCode::NOT_FOUND),
            Expected::Refused(status) => {
                let code = if status == StatusCode::UNAUTHORIZED {
                    "unauthenticated"
                } else {
                    "forbidden"
                };
                got.status == status && got.body["error"]["code"] == code
            }
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Allowed { may_404: false } => write!(f, "2xx"),
            Expected::Allowed { may_404: true } => write!(f, "2xx or 404"),
            Expected::Refused(status) => write!(f, "{}", status.as_u16()),
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let fixture = Fixture::create(&app, &admin).await;
    let mut callers: Vec<(Option<Role>, Option<String>)> = Vec::new();
    for role in Role::ALL {
        callers.push((Some(role), Some(app.token(role).await)));
    }
    callers.push((None, None));

    let rows = table(&fixture);
    let mut mismatches: Vec<String> = Vec::new();
    for row in &rows {
        for (role, token) in &callers {
            let role = *role;
            let id = fixture.id_for(&app, &admin, row.id).await;
            let path = row.path(&id);
            assert!(
                !path.contains('{'),
                "the row {} {} leaves a placeholder: {path}",
                row.method,
                row.template
            );
            let body = row.body.as_ref().map(|b| Body::from(b.to_string()));
            let got = app.send(row.method.clone(), &path, token.as_deref(), body).await;
            let expected = Expected::of(row, role);
            if !expected.accepts(&got) {
                let answer: String = String::from_utf8_lossy(&got.bytes).chars().take(200).collect();
                mismatches.push(format!(
                    "{} {}{} as {}: expected {expected}, got {} {answer}",
                    row.method,
                    row.template,
                    row.query,
                    role.map_or("no token", Role::as_str),
                    got.status.as_u16(),
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} requests answered against the matrix:\n{}",
        mismatches.len(),
        rows.len() * callers.len(),
        mismatches.join("\n")
    );
}

/// A route added to the API without a row in the table fails here, and so does a row whose
/// route is gone.
#[tokio::test]
async fn every_documented_route_has_a_row() {
    let app = TestApp::new().await;
    let doc = app.send(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = doc.body["paths"].as_object().expect("the OpenAPI document lists its paths");
    let mut documented: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in paths {
        let operations = item.as_object().unwrap_or_else(|| panic!("{path} is an object"));
        for method in operations.keys() {
            if ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(!documented.is_empty());
    let tabled: BTreeSet<(String, String)> = table(&Fixture::default())
        .iter()
        .map(|row| (row.method.as_str().to_string(), row.template.to_string()))
        .collect();
    let missing: Vec<String> = documented.difference(&tabled).map(|(m, p)| format!("{m} {p}")).collect();
    let stale: Vec<String> = tabled.difference(&documented).map(|(m, p)| format!("{m} {p}")).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the matrix in tests/it/matrix.rs and the API disagree.\nroutes without a row: {missing:?}\nrows without a route: {stale:?}"
    );
}

/// Search hits never carry contact details to a role that may not see them.
#[tokio::test]
async fn search_hits_show_contact_details_only_to_roles_that_may_see_them() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let fixture = Fixture::create(&app, &admin).await;
    app.sync_search().await;
    let request = json!({"q": PERSON_NAME, "type": "person"});

    for role in Role::ALL {
        let token = app.token(role).await;
        let r = app.post("/api/v1/search", &token, request.clone()).await;
        if !role.allows(Permission::ReadDirectory) {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: {}", role.as_str(), r.body);
            continue;
        }
        assert_eq!(r.status, StatusCode::OK, "{}: {}", role.as_str(), r.body);
        let hits = r.body["hits"].as_array().unwrap_or_else(|| panic!("{}: {}", role.as_str(), r.body));
        let hit = hits
            .iter()
            .find(|h| h["id"] == fixture.person.as_str())
            .unwrap_or_else(|| panic!("{} finds the person: {}", role.as_str(), r.body));
        if !role.allows(Permission::ReadContactDetails) {
            for key in ["email", "phone", "wechat", "whatsapp"] {
                assert!(
                    hit.get(key).is_none_or(Value::is_null),
                    "{} sees {key} in a search hit: {hit}",
                    role.as_str()
                );
            }
            let text = r.body.to_string();
            assert!(
                !text.contains(PERSON_EMAIL) && !text.contains(PERSON_PHONE),
                "{} sees contact details in the search answer: {text}",
                role.as_str()
            );
        }
    }

    let r = app
        .send(Method::POST, "/api/v1/search", None, Some(Body::from(request.to_string())))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}
