//! The attendant's phone page: served from the binary, with its headers.

use crate::helpers::spawn_app;

#[actix_web::test]
async fn the_page_is_small_self_contained_and_locked_to_its_origin() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/jukir")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("http"));
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let html = res.text().await.unwrap();
    assert!(html.contains("lang=\"id\"") && html.contains("Masuk"));
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline code"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN"
    );

    let mut total = html.len();
    let assets: Vec<&str> = html
        .split('"')
        .filter(|part| part.starts_with("/jukir/assets/"))
        .collect();
    assert_eq!(assets.len(), 3, "an icon, a stylesheet, a script");
    for path in assets {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        total += res.bytes().await.unwrap().len();
    }
    assert!(total < 100 * 1024, "the page weighs {total} bytes");
    assert_eq!(parkir::web::jukir::total_bytes(), total);
    let stale = app
        .client
        .get(app.url("/jukir/assets/app.000000000000.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 404);
}

#[actix_web::test]
async fn api_answers_are_never_cached() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app.get("/api/v1/zones", &admin).await;
    assert_eq!(r.headers["cache-control"], "no-store");
}
