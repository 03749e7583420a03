//! A pool of validators on a three-node JetStream cluster on loopback, the
//! pool's streams replicated three times: the node leading the stream of
//! exchanges is killed (SIGKILL) while workers run, and the merged report
//! still equals what `specgate validate` says of the same file, nothing
//! lost and nothing counted twice. Ignored unless `.ci/run` (which installs
//! `nats-server`) runs it.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::fs::File;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, stream};
use specgate_nats::names::Names;
use specgate_nats::pool::{DUPLICATE_WINDOW, RESULTS_MAX_BYTES, STREAM_MAX_BYTES};
use support::nats::{free_ports, json, run, server_binary, specgate, text, wait};

/// One node of the cluster.
struct Node {
    name: String,
    port: u16,
    config: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

/// Three `nats-server`s on loopback, routed to each other, each with its
/// own storage in one temporary folder; every one still running is
/// stopped on drop (a failed assertion too).
struct Cluster {
    nodes: Vec<Node>,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let ports = free_ports(6);
        let (client, route) = ports.split_at(3);
        let mut nodes = Vec::new();
        for i in 0..3 {
            let name = format!("n{i}");
            let store = dir.path().join(&name);
            let routes: Vec<String> = (0..3)
                .filter(|&j| j != i)
                .map(|j| format!("\"nats-route://127.0.0.1:{}\"", route[j]))
                .collect();
            let config = dir.path().join(format!("{name}.conf"));
            std::fs::write(
                &config,
                format!(
                    "server_name: \"{name}\"\n\
                     host: \"127.0.0.1\"\n\
                     port: {port}\n\
                     jetstream {{\n  store_dir: \"{store}\"\n}}\n\
                     cluster {{\n  name: \"specgate-test\"\n  listen: \"127.0.0.1:{route}\"\n  routes: [{routes}]\n}}\n",
                    port = client[i],
                    store = store.display(),
                    route = route[i],
                    routes = routes.join(", "),
                ),
            )
            .unwrap();
            let log = dir.path().join(format!("{name}.log"));
            nodes.push(Node {
                name,
                port: client[i],
                config,
                log,
                child: None,
            });
        }
        for node in &mut nodes {
            let log = File::create(&node.log).unwrap();
            node.child = Some(
                Command::new(server_binary())
                    .arg("-c")
                    .arg(&node.config)
                    .stdout(Stdio::null())
                    .stderr(log)
                    .spawn()
                    .expect("nats-server on the PATH (apt-get install nats-server)"),
            );
        }
        let cluster = Cluster { nodes, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        for node in &cluster.nodes {
            while TcpStream::connect(("127.0.0.1", node.port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "{} did not start: {}",
                    node.name,
                    cluster.logs()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        cluster
    }

    /// The pool's address naming every node, dead or alive: the client
    /// connects to one that answers.
    fn url_all(&self, name: &str) -> String {
        let servers: Vec<String> = self
            .nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        format!("nats://{}/{name}", servers.join(","))
    }

    fn index_of(&self, name: &str) -> usize {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .unwrap_or_else(|| panic!("no node {name}"))
    }

    /// Kills a node as a crash would: SIGKILL.
    fn kill(&mut self, node: usize) {
        if let Some(mut child) = self.nodes[node].child.take() {
            child.kill().unwrap();
            let _ = child.wait();
        }
    }

    /// What every node logged, for a failed assertion.
    fn logs(&self) -> String {
        self.nodes
            .iter()
            .map(|n| {
                let log = std::fs::read_to_string(&n.log).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(40).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                format!("--- {} (last lines)\n{}\n", n.name, tail.join("\n"))
            })
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// A client of the whole cluster (it goes on through any node that
/// lives), for the test's own look at the streams.
async fn client(cluster: &Cluster) -> jetstream::Context {
    let servers: Vec<String> = cluster
        .nodes
        .iter()
        .map(|n| format!("nats://127.0.0.1:{}", n.port))
        .collect();
    let client = async_nats::ConnectOptions::new()
        .request_timeout(Some(Duration::from_secs(2)))
        .connect(servers)
        .await
        .unwrap();
    jetstream::new(client)
}

/// The pool's two streams with the settings specgate gives them
/// (validator/nats/src/pool.rs, `Pool::stream` and `Pool::results`),
/// but replicated to all three nodes. specgate opens a stream that exists
/// as it is; its workers' durable consumer, which they create, takes the
/// stream's replicas. Retried until the cluster has elected a JetStream
/// meta leader and knows all three servers.
async fn replicated_streams(js: &jetstream::Context, pool: &str) {
    let names = Names::of(pool);
    let configs = [
        stream::Config {
            name: names.stream.clone(),
            subjects: vec![names.subject.clone()],
            storage: stream::StorageType::File,
            max_bytes: STREAM_MAX_BYTES,
            discard: stream::DiscardPolicy::New,
            duplicate_window: DUPLICATE_WINDOW,
            num_replicas: 3,
            ..Default::default()
        },
        stream::Config {
            name: names.results.clone(),
            subjects: vec![format!("{}*", names.results_prefix)],
            storage: stream::StorageType::File,
            max_bytes: RESULTS_MAX_BYTES,
            max_messages_per_subject: 1,
            discard: stream::DiscardPolicy::New,
            num_replicas: 3,
            ..Default::default()
        },
    ];
    let deadline = Instant::now() + Duration::from_secs(30);
    for config in configs {
        loop {
            match js.create_stream(config.clone()).await {
                Ok(mut made) => {
                    let info = made.info().await.unwrap();
                    assert_eq!(info.config.num_replicas, 3);
                    break;
                }
                Err(err) => {
                    assert!(
                        Instant::now() < deadline,
                        "the cluster made no stream {}: {err}",
                        config.name
                    );
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
    }
}

/// Messages in a stream now.
async fn messages(js: &jetstream::Context, name: &str) -> u64 {
    let mut stream = js.get_stream(name).await.unwrap();
    stream.info().await.unwrap().state.messages
}

/// The server leading a stream's group, once it has one.
async fn stream_leader(js: &jetstream::Context, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(mut stream) = js.get_stream(name).await {
            if let Ok(info) = stream.info().await {
                if let Some(leader) = info.cluster.as_ref().and_then(|c| c.leader.clone()) {
                    return leader;
                }
            }
        }
        assert!(Instant::now() < deadline, "stream {name} has no leader");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Starts a worker that stops when the stream is empty.
fn worker(url: &str) -> Child {
    specgate()
        .args(["validate", "--from", url, "--until-empty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn report(url: &str) -> Output {
    run(specgate().args(["report", "--from", url, "--format", "json"]))
}

#[test]
#[ignore = "needs nats-server: run by .ci/run"]
fn a_three_node_cluster_loses_nothing_when_the_stream_leader_is_killed_mid_run() {
    let started = Instant::now();
    let at = || format!("{:.1} s", started.elapsed().as_secs_f64());
    let mut cluster = Cluster::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pool = "replicated";
    let names = Names::of(pool);
    let js = runtime.block_on(client(&cluster));
    runtime.block_on(replicated_streams(&js, pool));
    let leader = runtime.block_on(stream_leader(&js, &names.stream));
    eprintln!("cluster up at {}; stream {pool} led by {leader}", at());

    let dir = tempfile::tempdir().unwrap();
    // 6,000 exchanges (whole copies of the recordings), each its own
    // entry of the file.
    let copies = 500;
    let total = 12 * copies as u64;
    let file = dir.path().join("traffic.jsonl");
    std::fs::write(
        &file,
        specgate_validator::CHATWOOT_RECORDINGS.repeat(copies),
    )
    .unwrap();
    let published = run(specgate()
        .args(["publish", "--to", &cluster.url_all(pool)])
        .arg(&file));
    assert!(published.status.success(), "{}", text(&published.stderr));
    assert_eq!(runtime.block_on(messages(&js, &names.stream)), total);
    eprintln!("published {total} at {}", at());

    // Three workers, each given every node: whichever each is connected
    // to, the killed node's clients move to the others.
    let workers: Vec<Child> = (0..3).map(|_| worker(&cluster.url_all(pool))).collect();
    // Killed once a tenth of the results are stored, long before all are.
    let deadline = Instant::now() + Duration::from_secs(30);
    let stored_before_kill = loop {
        let stored = runtime.block_on(messages(&js, &names.results));
        if stored >= total / 10 {
            break stored;
        }
        assert!(
            Instant::now() < deadline,
            "the workers stored {stored} results in 30 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // The leader again, in case it moved meanwhile.
    let leader = runtime.block_on(stream_leader(&js, &names.stream));
    let killed = cluster.index_of(&leader);
    cluster.kill(killed);
    eprintln!(
        "killed {leader} (SIGKILL) at {}, {stored_before_kill} of {total} results stored",
        at()
    );
    assert!(
        stored_before_kill < total,
        "the workers finished before the node was killed"
    );

    // Every worker rides out the election of new leaders (a store that
    // timed out or found no leader is sent again, a request for exchanges
    // opened anew) and finishes without an error.
    for child in workers {
        let output = wait(child, &"a worker");
        let said = text(&output.stderr);
        eprintln!(
            "worker: exit {:?} at {}: {}",
            output.status.code(),
            at(),
            said.trim()
        );
        assert!(output.status.success(), "{said}\n{}", cluster.logs());
    }

    // Once, with the address naming every node (the killed one too): the
    // report retries by itself while the cluster moves what the killed
    // node led.
    let pooled = report(&cluster.url_all(pool));
    eprintln!("report at {}", at());
    assert!(
        text(&pooled.stderr).is_empty(),
        "report: exit {:?}: {}",
        pooled.status.code(),
        text(&pooled.stderr)
    );
    let direct = run(specgate().args(["validate", "--format", "json"]).arg(&file));
    let (pooled, direct) = (json(&pooled), json(&direct));
    assert_eq!(pooled["summary"]["records"].as_u64(), Some(total));
    assert_eq!(pooled, direct, "the pool's report is validate's");

    // The workers' consumer was replicated too, and holds nothing more.
    let consumer = runtime.block_on(async {
        let stream = js.get_stream(&names.stream).await.unwrap();
        stream.consumer_info(&names.consumer).await.unwrap()
    });
    let cluster_info = consumer.cluster.clone().unwrap_or_default();
    assert_eq!(cluster_info.replicas.len(), 2, "{cluster_info:?}");
    assert!(
        cluster_info.leader.as_ref().is_some_and(|l| *l != leader),
        "{cluster_info:?}"
    );
    assert_eq!((consumer.num_pending, consumer.num_ack_pending), (0, 0));
    eprintln!("done at {}", at());
}
