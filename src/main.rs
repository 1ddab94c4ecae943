fn main() -> std::process::ExitCode {
    neonops::run().into()
}
