#!/usr/bin/env bash
# Checks Cargo.toml's rust-version for real: the library as published (each feature set a
# dependent can pick, natively and on wasm32) compiles with that exact toolchain, its dependencies
# resolved by a current cargo's MSRV-aware resolver (`incompatible-rust-versions = "fallback"`).
# Cargo 1.75 itself does not resolve that way: with `reqwest`, its newest picks (tokio, url's icu
# crates, quinn) need newer compilers, so a 1.75 user pins them or resolves with a newer cargo
# (README.crate.md says so). Dev-dependencies, tests and doctests are not part of the promise.
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
rustup toolchain list | grep -q "^$msrv" || rustup toolchain install "$msrv" --profile minimal
rustup target list --toolchain "$msrv" --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown --toolchain "$msrv"
work=target/msrv
rm -rf "$work/crate" && mkdir -p "$work/crate"
# What the published crate holds (its `include`), as a dependent downloads it.
cargo package --list --allow-dirty --quiet | grep -vxE 'Cargo\.(toml|toml\.orig|lock)|\.cargo_vcs_info\.json' \
  | while read -r f; do mkdir -p "$work/crate/$(dirname "$f")" && cp "$f" "$work/crate/$f"; done
# The manifest without dev-dependencies and examples.
awk '/^\[\[example\]\]/ { skip = 1; next }
     /^\[/ { skip = ($0 ~ /dev-dependencies\]$/) }
     !skip' Cargo.toml > "$work/crate/Cargo.toml"
cd "$work/crate"
CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile --quiet
# Lockfile v4 is cargo 1.78's; a registry-only lockfile reads the same as v3.
sed -i 's/^version = 4$/version = 3/' Cargo.lock
export CARGO_TARGET_DIR=../target
for features in "" "--no-default-features" "--features reqwest"; do
  echo "rust $msrv: cargo check $features"
  cargo "+$msrv" check --quiet --lib $features
done
for features in "" "--features gloo-net"; do
  echo "rust $msrv: cargo check --target wasm32-unknown-unknown $features"
  cargo "+$msrv" check --quiet --lib --target wasm32-unknown-unknown $features
done
