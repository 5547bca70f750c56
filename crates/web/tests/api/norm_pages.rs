//! The norm pages (issue 15): a beheerder edits the norms at /werkplek/normen (bad input comes
//! back with the field named, nothing stored), team leads and beheerders see the dashboard at
//! /werkplek/cijfers/normen with its CSV, and the target chart is pinned by a snapshot.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{open_session, send};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_domain::team::{EmployeeInput, Role};

pub(crate) async fn user(app: &TestApp, username: &str, role: Role) {
    let input = EmployeeInput {
        name: username.into(),
        username: Some(username.into()),
        roles: vec![role],
        active: true,
        ..Default::default()
    };
    app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap();
}

/// The norm form with the defaults, `changes` applied.
fn form(csrf: &str, changes: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("csrf", csrf),
        ("geldig_vanaf", "2026-03-02"),
        ("telefoon_seconden", "25"),
        ("telefoon_doel", "80"),
        ("email_dagen", "1"),
        ("email_doel", "90"),
        ("webformulier_dagen", "1"),
        ("webformulier_doel", "90"),
        ("brief_dagen", "3"),
        ("brief_doel", "90"),
        ("ruggespraak_dagen", "1"),
        ("ruggespraak_doel", "90"),
        ("zaken_doel", "90"),
        ("beschikbaarheid_doel", "99,5"),
        ("geholpen_doel", "80"),
        ("cijfer_doel", "7,5"),
        ("opgelost_doel", "80"),
        ("servicenorm_vraag", "5"),
        ("ontvangst_vraag", "1"),
        ("servicenorm_klacht", "6"),
        ("ontvangst_klacht", "3"),
        ("servicenorm_melding", "3"),
        ("ontvangst_melding", ""),
        ("servicenorm_verzoek", "4"),
        ("ontvangst_verzoek", "3"),
        ("servicenorm_vergunningaanvraag", "8"),
        ("ontvangst_vergunningaanvraag", "3"),
        ("servicenorm_bezwaar", "6"),
        ("ontvangst_bezwaar", "3"),
    ];
    for (k, v) in changes {
        fields.iter_mut().find(|(f, _)| f == k).unwrap().1 = v;
    }
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

#[tokio::test]
async fn a_beheerder_changes_a_target_and_the_dashboard_judges_by_it() {
    let app = spawn_app().await;
    user(&app, "normbeheer", Role::Beheerder).await;
    let (admin, csrf) = open_session(&app, "normbeheer").await;

    let page = send(&app, "GET", "/werkplek/normen", &[&admin], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("het begin (standaard)"), "the set in code is the first version");
    assert!(page.body.contains("name=\"telefoon_doel\" value=\"80\""), "{}", page.body);
    assert!(page.body.contains("name=\"ruggespraak_dagen\" value=\"1\""), "the consultation term is editable");
    assert!(!page.body.contains("style="));

    let forged = send(&app, "POST", "/werkplek/normen", &[&admin], Some(&form("x", &[])), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Bad input: re-rendered with the fields named and what was typed, nothing stored.
    let bad = form(&csrf, &[("telefoon_doel", "180"), ("geldig_vanaf", "2026-03-01")]);
    let refused = send(&app, "POST", "/werkplek/normen", &[&admin], Some(&bad), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("De normen zijn niet opgeslagen. Verbeter de 2 velden hieronder"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(
        "Vul bij \u{201c}doel: deel van de gesprekken op tijd (%)\u{201d} een getal van 0 tot en met 100 in."
    ));
    assert!(refused.body.contains("Kies vandaag of een latere dag."));
    assert!(refused.body.contains("name=\"telefoon_doel\" value=\"180\""), "what was typed stays");
    assert!(refused.body.contains("aria-invalid=\"true\""));
    assert_eq!(app.app.norm_versions(&Principal::operator()).await.unwrap().versions().len(), 1, "nothing stored");

    let ok =
        send(&app, "POST", "/werkplek/normen", &[&admin], Some(&form(&csrf, &[("telefoon_doel", "85")])), &[]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = send(&app, "GET", ok.location.as_deref().unwrap(), &[&admin], None, &[]).await;
    assert!(after.body.contains("De normen zijn opgeslagen. Ze gelden vanaf 2-3-2026."), "{}", after.body);
    assert!(after.body.contains("85% binnen 25 s"));

    let board = send(&app, "GET", "/werkplek/cijfers/normen", &[&admin], None, &[]).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    assert!(board.body.contains("Telefoon binnen 25 seconden opgenomen"));
    assert!(board.body.contains("Ruggespraak op tijd beantwoord"), "category 2 without a filter");
    assert!(board.body.contains("Nog niet gemeten.</strong> Doel 80%."), "category 4 without a source");
    assert!(board.body.contains("<h2 class=\"utrecht-heading-2\" id=\"categorie-5\">5 Gastvrijheid</h2>"));
    assert!(board.body.contains("Vandaag (2-3-2026)"));
    assert!(board.body.contains("versie vanaf 2-3-2026"), "{}", board.body);
    assert!(!board.body.contains("style="));

    // A call today, answered in 10 seconds: a figure, judged against the new 85%.
    let (status, _) = app
        .post(
            "/api/v1/contacts",
            &app.admin,
            serde_json::json!({"channel": "telefoon", "waiting_seconds": 10, "questions": [{"text": "Hoe hoog is de aanslag?"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let board = send(&app, "GET", "/werkplek/cijfers/normen", &[&admin], None, &[]).await;
    assert!(board.body.contains("Resultaat: <strong>100%</strong>, doel 85%: gehaald. Gemeten: 1."), "{}", board.body);
    assert!(board.body.contains("<svg class=\"grafiek\"") && board.body.contains("aria-hidden=\"true\""));

    let csv = send(&app, "GET", "/werkplek/cijfers/normen.csv?kanaal=telefoon", &[&admin], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("category,measure,week,value,target,measured,late,at_risk,open\n"), "{}", csv.body);
    assert!(csv.body.contains("\n1,bereikbaarheid,2026-W10,100.00,85.00,1,,,\n"), "{}", csv.body);
    assert!(csv.body.contains("\n4,zoekvragen_geholpen,totaal,nog niet gemeten,80.00,0,,,\n"), "{}", csv.body);

    // The compliance API answers from the same function, with the same filters.
    let (status, api) = app
        .get(
            "/api/v1/norms/compliance?from=2026-03-02&to=2026-03-03&group_by=norm_category&channel=telefoon",
            Some(&app.admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{api}");
    let phone = api["groups"].as_array().unwrap().iter().find(|g| g["key"] == "bereikbaarheid").unwrap().clone();
    assert_eq!((phone["within_norm"].as_u64(), phone["target_percent"].as_u64()), (Some(1), Some(85)), "{phone}");
    let (status, api) = app
        .get(
            "/api/v1/norms/compliance?from=2026-03-02&to=2026-03-03&team=0190f5c4-7a3e-7000-8000-000000000000",
            Some(&app.admin),
        )
        .await;
    assert_eq!((status, api["groups"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "calls have no team");
    for bad in ["channel=fax", "team=abc"] {
        let (status, _) =
            app.get(&format!("/api/v1/norms/compliance?from=2026-03-02&to=2026-03-03&{bad}"), Some(&app.admin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    let wrong = send(&app, "GET", "/werkplek/cijfers/normen?van=gisteren", &[&admin], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Vul bij \u{201c}van\u{201d} een datum in, zoals 2026-03-09."));
}

#[tokio::test]
async fn only_beheerders_edit_and_only_team_leads_and_beheerders_see_the_dashboard() {
    let app = spawn_app().await;
    for (name, role) in
        [("leider", Role::Teamleider), ("kcc", Role::Kcc), ("bo", Role::Backoffice), ("red", Role::Redacteur)]
    {
        user(&app, name, role).await;
        let (session, csrf) = open_session(&app, name).await;
        let lead = role == Role::Teamleider;
        for path in ["/werkplek/cijfers/normen", "/werkplek/cijfers/normen.csv"] {
            let want = if lead { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(send(&app, "GET", path, &[&session], None, &[]).await.status, want, "{path} as {name}");
        }
        assert_eq!(send(&app, "GET", "/werkplek/normen", &[&session], None, &[]).await.status, StatusCode::FORBIDDEN);
        let post = send(&app, "POST", "/werkplek/normen", &[&session], Some(&form(&csrf, &[])), &[]).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{name}");
    }
    assert_eq!(app.app.norm_versions(&Principal::operator()).await.unwrap().versions().len(), 1);
    let anonymous = send(&app, "GET", "/werkplek/cijfers/normen", &[], None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "to the sign-in page");
}

#[tokio::test]
async fn a_service_norm_longer_than_the_legal_term_is_refused_and_a_shorter_one_saved() {
    let app = spawn_app().await;
    user(&app, "termijnbeheer", Role::Beheerder).await;
    let (admin, csrf) = open_session(&app, "termijnbeheer").await;
    let page = send(&app, "GET", "/werkplek/normen", &[&admin], None, &[]).await;
    assert!(page.body.contains("name=\"servicenorm_klacht\" value=\"6\""), "{}", page.body);
    assert!(page.body.contains("Wettelijke termijn: 6 weken. De servicenorm mag niet langer zijn."));

    let bad = form(&csrf, &[("servicenorm_klacht", "7")]);
    let refused = send(&app, "POST", "/werkplek/normen", &[&admin], Some(&bad), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "De servicenorm bij \u{201c}klacht: servicenorm (weken)\u{201d} is langer dan de wettelijke termijn."
        ),
        "{}",
        refused.body
    );
    assert_eq!(app.app.norm_versions(&Principal::operator()).await.unwrap().versions().len(), 1, "nothing stored");

    let shorter = form(&csrf, &[("servicenorm_klacht", "4"), ("ontvangst_klacht", "2")]);
    let ok = send(&app, "POST", "/werkplek/normen", &[&admin], Some(&shorter), &[]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let history = app.app.norm_versions(&Principal::operator()).await.unwrap();
    let klacht = history.versions()[1].norms.for_case_type(gastvrij_domain::case::CaseType::Klacht).unwrap().clone();
    assert_eq!(
        (
            klacht.service_norm.to_string(),
            klacht.acknowledgement.map(|a| a.to_string()),
            klacht.lead_time.map(|l| l.to_string())
        ),
        ("4 weken".to_string(), Some("2 werkdagen".to_string()), Some("6 weken".to_string())),
        "the legal term stays"
    );
}

#[test]
fn the_target_chart_draws_the_same_svg() {
    use gastvrij_web::charts::columns_with_targets;
    let svg = columns_with_targets(&[Some(92.5), None, Some(70.0)], &[80.0, 80.0, 85.0], 0.0, 100.0);
    crate::pulse::snapshot("norm_columns.svg", &svg);
}

/// Norm compliance split and narrowed by the customer's segment: the API (`group_by=segment`,
/// `segment=`), the dashboard's filter, and a wrong segment named in a 422.
#[tokio::test]
async fn norm_compliance_is_split_and_filtered_by_segment() {
    use gastvrij_domain::case::{CaseInput, CaseType};
    use gastvrij_domain::customer::{CustomerInput, Segment};
    let app = spawn_app().await;
    let who = Principal::operator();
    let team = app
        .app
        .create_team(&who, gastvrij_domain::team::TeamInput { name: "Vergunningen".into(), description: None })
        .await
        .unwrap();
    let farm = CustomerInput { segments: vec![Segment::Agrarier, Segment::Bedrijf], ..Default::default() };
    let farm = app.app.create_customer(&who, farm).await.unwrap();
    for customer in [Some(farm.id), None] {
        let input = CaseInput {
            case_type: CaseType::Vraag,
            team_id: team.id,
            topic_id: None,
            owner_id: None,
            customer_id: customer,
            contact_id: None,
            subject: "Dam in de sloot".into(),
            intent: None,
            urgent: false,
        };
        app.app.create_case(&who, input).await.unwrap();
    }
    let compliance = |query: &str| {
        let path = format!("/api/v1/norms/compliance?from=2026-03-02&to=2026-03-03&{query}");
        let app = &app;
        async move { app.get(&path, Some(&app.admin)).await }
    };
    let (status, api) = compliance("group_by=segment").await;
    assert_eq!(status, StatusCode::OK, "{api}");
    let groups: Vec<(String, u64)> = api["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap().to_string(), g["in_scope"].as_u64().unwrap()))
        .collect();
    assert_eq!(groups, vec![("agrariër".to_string(), 2), ("geen".to_string(), 2)], "{api}");
    let (status, api) = compliance("group_by=team&segment=agrari%C3%ABr").await;
    assert_eq!(status, StatusCode::OK, "{api}");
    assert_eq!(api["groups"][0]["in_scope"].as_u64(), Some(2), "{api}");
    let (_, api) = compliance("group_by=team&segment=inwoner").await;
    assert_eq!(api["groups"].as_array().map(Vec::len), Some(0), "{api}");
    let (status, api) = compliance("segment=boer").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{api}");
    assert!(api.to_string().contains("segment"), "{api}");
    // Documented: the parameter, and the split among the groupings.
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let params = doc["paths"]["/api/v1/norms/compliance"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "segment"), "{params:?}");
    assert!(doc.to_string().contains("\"norm_category\",\"segment\""), "GroupBy lists segment");

    user(&app, "segmentleider", Role::Teamleider).await;
    let (lead, _) = open_session(&app, "segmentleider").await;
    let board = send(&app, "GET", "/werkplek/cijfers/normen?segment=agrari%C3%ABr", &[&lead], None, &[]).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    assert!(board.body.contains("<option value=\"agrariër\" selected>agrariër</option>"), "{}", board.body);
    assert!(board.body.contains("/werkplek/cijfers/normen.csv?van="), "{}", board.body);
    assert!(board.body.contains("segment=agrari%C3%ABr"), "the CSV keeps the filter");
}

/// The overview puts the service norm beside the customer grade and the pulse per week, each
/// with its table and CSV; team leads and beheerders only.
#[tokio::test]
async fn the_overview_shows_the_weekly_trends_with_tables_and_csv() {
    let app = spawn_app().await;
    user(&app, "overzicht", Role::Teamleider).await;
    user(&app, "balie", Role::Kcc).await;
    let (lead, _) = open_session(&app, "overzicht").await;
    let page = send(&app, "GET", "/werkplek/cijfers", &[&lead], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Op tijd afgehandeld naast het klantcijfer"));
    assert!(page.body.contains("Periode: 12-1-2026 tot en met 2-3-2026."), "eight weeks up to today: {}", page.body);
    assert!(
        page.body.contains("<th class=\"utrecht-table__header-cell\" scope=\"row\">2026-W10 (vanaf 2-3-2026)</th>")
    );
    assert!(page.body.contains("<svg class=\"grafiek\"") && page.body.contains("aria-hidden=\"true\""));
    assert!(page.body.contains("te weinig antwoorden"), "no pulse answers yet");
    assert!(!page.body.contains("style="));
    let csv = send(&app, "GET", "/werkplek/cijfers/weken.csv?van=2026-03-02&tot=2026-03-02", &[&lead], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.body,
        "series,period,first_day,value,target,measured\n\
         binnen_servicenorm_percent,2026-W10,2026-03-02,,,0\n\
         gemiddeld_klantcijfer,2026-W10,2026-03-02,,,0\n\
         peiling_gemiddelde,week 10 2026,2026-03-02,,,\n"
    );
    let wrong = send(&app, "GET", "/werkplek/cijfers?van=gisteren", &[&lead], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("„van” is geen datum."), "{}", wrong.body);
    let (kcc, _) = open_session(&app, "balie").await;
    for path in ["/werkplek/cijfers", "/werkplek/cijfers/weken.csv"] {
        assert_eq!(send(&app, "GET", path, &[&kcc], None, &[]).await.status, StatusCode::FORBIDDEN, "{path}");
    }
}
