//! The `eseal` command-line tool: inspect, verify, make and sign electronic seals.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
