// The knowledge base is embedded with include_dir! from the workspace's kb/ folder; tell
// cargo to rebuild when any file under it changes, including files added or removed. The
// path is relative to this crate (a path that does not exist would rerun the script on
// every build). The migrations are embedded by sqlx::migrate!, which does not tell cargo
// about a migration added: the same line for them.
fn main() {
    println!("cargo:rerun-if-changed=../../kb");
    println!("cargo:rerun-if-changed=migrations");
}
