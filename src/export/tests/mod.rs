//! Export tests over dialogs/kipp2025.toml: every writer's output is read back.

mod archive;
mod fixtures;
mod formats;
mod json;
mod naming;
mod perf;
mod proposal;
mod sheets;
