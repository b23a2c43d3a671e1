//! barong: the edge authentication and authorization gateway of a crypto exchange.
//!
//! One process, two faces: the edge check (Envoy ext_authz over gRPC, nginx
//! auth_request over HTTP) and the management API (identity, resource, admin).
//!
//! Module map; imports point down only:
//!
//! ```text
//! L6  main.rs -> cli/            clap subcommands
//! L5  app/                       composition root: state, startup, shutdown
//! L4  http/   grpc/              front ends; never import each other
//! L3  services/   authz/         use cases; never import each other or anything above
//! L2  storage/  sessions/  events/
//! L1  config/   crypto/   observability/
//! L0  domain/
//! ```
//!
//! Framework types stay at the edges: axum only in `http/` and `app/`, SeaORM query
//! building only in `storage/`, the redis crate only in `sessions/`, `std::env` only in
//! `config/`.

pub mod app;
pub mod authz;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod http;
pub mod observability;
pub mod services;
pub mod sessions;
pub mod storage;
