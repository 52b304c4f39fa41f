// The knowledge base is embedded with include_dir!; tell cargo to rebuild when any file
// under kb/ changes, including files that were added or removed.
fn main() {
    println!("cargo:rerun-if-changed=kb");
}
