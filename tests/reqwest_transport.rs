//! The reqwest transport against local sockets: it never follows a redirect (the credential stays
//! home), a silent server is a TIMEOUT, a closed port a NETWORK error, and neither the token nor
//! the URL's path leaks into the errors.
#![cfg(all(not(target_arch = "wasm32"), feature = "reqwest"))]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use airflow_trigger::{AirflowClient, ApiVersion, Auth, ClientAuth, ClientConfig, ErrorCode, ReqwestTransport, Secret};

const TOKEN: &str = "tok-very-secret-123";

/// A server answering every request with `answer` (or nothing, when `None`), counting requests.
fn serve(answer: Option<String>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            seen.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                match answer {
                    Some(a) => {
                        let _ = stream.write_all(a.as_bytes());
                    }
                    // Hold the connection open, silent, until the client gives up.
                    None => thread::sleep(std::time::Duration::from_secs(5)),
                }
            });
        }
    });
    (url, count)
}

fn client(url: &str, retries: u32, timeout_ms: u64) -> AirflowClient<ReqwestTransport> {
    let config = ClientConfig::new(url)
        .unwrap()
        .api_version(ApiVersion::V2)
        .auth(ClientAuth::Fixed(Auth::Bearer { token: Secret::new(TOKEN) }))
        .retries(retries)
        .timeout_ms(timeout_ms);
    AirflowClient::new(config, ReqwestTransport::new())
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_token_never_reaches_the_other_address() {
    let (elsewhere, stolen) = serve(Some("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".into()));
    for status in [301, 302, 303, 307, 308] {
        let redirect = format!("HTTP/1.1 {status} Moved\r\nLocation: {elsewhere}/steal\r\nContent-Length: 0\r\n\r\n");
        let (url, _) = serve(Some(redirect));
        let err = client(&url, 0, 5_000).get_run("etl", "r1").await.unwrap_err();
        assert_eq!((err.code(), err.status()), (ErrorCode::BadRequest, Some(status)), "{err}");
        assert!(err.message().contains("does not follow redirects"), "{err}");
    }
    assert_eq!(stolen.load(Ordering::SeqCst), 0, "a request reached the redirect's target");
}

#[tokio::test]
async fn a_silent_server_is_a_timeout_after_the_retries() {
    let (url, count) = serve(None);
    let err = client(&url, 1, 300).version().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
    assert!(err.message().contains("2 tries"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert!(!err.to_string().contains(TOKEN));
}

#[tokio::test]
async fn a_closed_port_is_a_network_error_that_names_no_secret() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = client(&format!("http://127.0.0.1:{port}"), 0, 2_000).get_run("etl", "r1").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Network, "{err}");
    assert!(!err.to_string().contains(TOKEN) && !err.to_string().contains("dagRuns/r1"), "{err}");
    assert!(!format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn an_airflow_answer_reads_into_typed_values() {
    let body = r#"{"dag_id":"etl","dag_run_id":"r1","state":"success","conf":{"n":1}}"#;
    let (url, _) = serve(Some(format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )));
    let run = client(&url, 0, 5_000).get_run("etl", "r1").await.unwrap();
    assert_eq!((run.state.as_str(), run.conf["n"].as_u64()), ("success", Some(1)));
}

#[tokio::test]
async fn an_answer_over_16_mib_is_never_read_whole() {
    // Declared too large: refused before reading.
    let (url, _) = serve(Some("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n{".into()));
    let err = client(&url, 0, 5_000).get_run("etl", "r1").await.unwrap_err();
    assert_eq!((err.code(), err.status()), (ErrorCode::Server, Some(200)), "{err}");
    // Chunked without a length: reading stops at the limit (the server offers 20 MiB).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..20 {
            if stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err()
                || stream.write_all(&chunk).is_err()
                || stream.write_all(b"\r\n").is_err()
            {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
    });
    let err = client(&url, 0, 10_000).get_run("etl", "r1").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Server, "{err}");
    assert!(err.message().contains("larger than 16 MiB"), "{err}");
}
