//! The `playbook` command; see `playbook --help`.

mod cli;

// The build allocates many small strings on two threads; mimalloc frees
// them faster than the system allocator and returns memory sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
