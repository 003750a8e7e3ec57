// Serves MSW request handlers (a provider's wire kit) on a real loopback HTTP server, so
// processes outside this one — a packed-tarball project, the CLI — can talk to the kit.
// The implementation is `serveHandlers` / `serveKit` in @modelplex/conformance (run `pnpm build` first).
export { serveHandlers, serveKit } from '../../packages/conformance/dist/index.js'
