// Runs in a project that has the provider but not the `openai` SDK: importing must work
// (the SDK is lazy) and the first call must name the install command.
const started = performance.now()
const { loadProvider, MissingDependencyError } = await import('@modelplex/core')
const provider = await loadProvider('openai', { apiKey: 'sk-missing-sdk-test-0000' })
console.log(
  `imported core and provider-openai without openai in ${(performance.now() - started).toFixed(1)} ms`,
)
try {
  await provider.generate({ messages: [{ role: 'user', content: 'hi' }] })
  console.log('FAIL the call succeeded without the SDK')
  process.exit(1)
} catch (error) {
  if (!MissingDependencyError.isInstance(error) || !error.message.includes('npm i openai')) {
    console.log(
      `FAIL expected MissingDependencyError naming "npm i openai", got ${error?.name}: ${error?.message}`,
    )
    process.exit(1)
  }
  console.log(`ok   first call → ${error.name}: ${error.message}`)
}
