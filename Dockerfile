# syntax=docker/dockerfile:1
# The MCP server over streamable HTTP on :8080, as a static binary on a
# distroless base (no shell, no package manager), running as a non-root user.
#
#   docker build -t instantly-status-mcp .
#   docker run --rm -p 8080:8080 instantly-status-mcp    # clients send X-Instantly-Api-Key
#
# A server key (-e INSTANTLY_API_KEY) on this public bind also needs
# -e MCP_AUTH_TOKEN: the server refuses to start without it (no open relay).
ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM docker.io/library/golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH VERSION="" COMMIT="" DATE=""
RUN CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH:-amd64} go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/instantly-status-mcp .

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=""
# The MCP registry checks this label against server.json's name.
LABEL io.modelcontextprotocol.server.name="io.github.instantly-status/instantly-status-mcp" \
      org.opencontainers.image.title="instantly-status-mcp" \
      org.opencontainers.image.description="Why isn't my Instantly campaign sending? An MCP server over streamable HTTP." \
      org.opencontainers.image.source="https://github.com/instantly-status/instantly-status-mcp" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/instantly-status-mcp /usr/local/bin/instantly-status-mcp
ENV MCP_TRANSPORT=http \
    MCP_ADDR=0.0.0.0:8080
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/instantly-status-mcp", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/instantly-status-mcp"]
