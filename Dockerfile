# neonops in a container: the binary and what it links (OpenSSL, the CA
# roots), run as a non-root user.
#   docker build -t neonops .
#   docker run --rm -e DATABASE_URL neonops doctor
FROM rust:1-bookworm AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libclang-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/neonops

FROM debian:bookworm-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/neonops /usr/local/bin/neonops
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["neonops"]
