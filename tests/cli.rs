#![cfg(all(not(target_arch = "wasm32"), feature = "cli"))]
