import { createRequire } from 'node:module'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { ChatFlags, GlobalFlags } from './chat-command.js'
import type { EmbedFlags } from './embed-command.js'
import type { ModelsFlags } from './models-command.js'
import type { ObjectFlags } from './object-command.js'

// Each command's module is imported when it runs, so `--help` and `chat` load only what they use.

/** True when `--offline` was given or MODELPLEX_OFFLINE is set to anything but 0/false. */
export function offlineFromEnv(flag: boolean | undefined): boolean {
  if (flag) return true
  const value = process.env.MODELPLEX_OFFLINE
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

const { version } = createRequire(import.meta.url)('../package.json') as { version: string }

function number(name: string, check: (value: number) => boolean, expected: string) {
  return (raw: string) => {
    const value = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
      throw new InvalidArgumentError(`${name} must be ${expected}, got "${raw}".`)
    }
    return value
  }
}

const temperature = number('--temperature', (v) => v >= 0 && v <= 2, 'a number from 0 to 2')
const positiveInteger = (name: string) =>
  number(name, (v) => Number.isInteger(v) && v > 0, 'a positive integer')

/** Runs a command's handler and records its exit code; the bin exits with it. */
type Handler = (...args: any[]) => Promise<number>

/** Builds the `modelplex` program; `run` receives each command's exit code. */
export function createProgram(run: (work: Promise<number>) => void): Command {
  const program = new Command('modelplex')
    .description(
      'One interface to every LLM provider: chat, objects, embeddings, model lists, offline or live.',
    )
    .version(version, '-v, --version')
    .option(
      '--offline',
      'use each provider’s wire kit on 127.0.0.1: simulated replies, no key, no network (or MODELPLEX_OFFLINE=1)',
    )
    .option('--debug', 'print stack traces with errors')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })

  const global = (command: Command): GlobalFlags => {
    const options = command.optsWithGlobals() as { offline?: boolean; debug?: boolean }
    return { offline: offlineFromEnv(options.offline), debug: Boolean(options.debug) }
  }
  const action =
    (handler: Handler) =>
    (...args: any[]) => {
      run(handler(...args))
    }

  const generation = (command: Command) =>
    command
      .option('-p, --provider <id>', 'provider id, e.g. openai (default: the first configured)')
      .option('-m, --model <model>', 'model id, or provider:model, e.g. anthropic:claude-sonnet-5-5')
      .option('-s, --system <text>', 'system prompt')
      .option('-t, --temperature <number>', 'sampling temperature, 0–2', temperature)
      .option('--max-tokens <n>', 'maximum output tokens', positiveInteger('--max-tokens'))
      .option('--json', 'print one JSON object per reply: text, usage, cost, latency')

  generation(
    program
      .command('chat')
      .description('one reply to a prompt, or an interactive multi-turn chat when no prompt is given')
      .argument('[prompt...]', 'the prompt; omit it to chat turn by turn (stdin works too)'),
  )
    .option('--no-stream', 'wait for the whole reply instead of streaming it')
    .action(
      action(async (words: string[], flags: ChatFlags, command: Command) =>
        (await import('./chat-command.js')).runChat(words, flags, global(command)),
      ),
    )

  generation(
    program
      .command('object')
      .description('a JSON object that fits a JSON Schema, validated before it is printed')
      .argument('[prompt...]', 'what to generate')
      .requiredOption('--schema <file.json>', 'a JSON Schema file'),
  ).action(
    action(async (words: string[], flags: ObjectFlags, command: Command) =>
      (await import('./object-command.js')).runObject(words, flags, global(command)),
    ),
  )

  program
    .command('embed')
    .description('embedding vectors, one per text')
    .argument('<text...>', 'the texts to embed')
    .option('-p, --provider <id>', 'provider id (default: the first configured)')
    .option('-m, --model <model>', 'embedding model, or provider:model')
    .option(
      '-d, --dimensions <n>',
      'vector size, where the model can shorten it',
      positiveInteger('--dimensions'),
    )
    .option('--json', 'print every number as JSON')
    .action(
      action(async (texts: string[], flags: EmbedFlags, command: Command) =>
        (await import('./embed-command.js')).runEmbed(texts, flags, global(command)),
      ),
    )

  program
    .command('models')
    .description('the models a provider lists')
    .option('-p, --provider <id>', 'provider id (default: the first configured)')
    .option('--json', 'print JSON')
    .action(
      action(async (flags: ModelsFlags, command: Command) =>
        (await import('./models-command.js')).runModels(flags, global(command)),
      ),
    )

  program
    .command('providers')
    .description('installed providers: configured or not, default models, capabilities, conformance')
    .option('--json', 'print JSON')
    .action(
      action(async (flags: { json?: boolean }, command: Command) =>
        (await import('./providers-command.js')).runProviders(flags, global(command)),
      ),
    )

  program
    .command('conformance')
    .description(
      'run the conformance suite over the providers in this checkout, with live progress, and print the matrix',
    )
    .addOption(new Option('-p, --provider <id...>', 'only these providers'))
    .action(
      action(async (flags: { provider?: string[] }, command: Command) =>
        (await import('./conformance-command.js')).runConformanceCommand(flags, global(command)),
      ),
    )

  program
    .command('tour')
    .description(
      'generate, stream, tools, objects, embeddings, a 429, a fallback and the cost, across every provider',
    )
    .addOption(new Option('-p, --provider <id...>', 'only these providers'))
    .action(
      action(async (flags: { provider?: string[] }, command: Command) =>
        (await import('./tour-command.js')).runTour(flags, global(command)),
      ),
    )

  program
    .command('serve')
    .description('run the OpenAI-compatible gateway: from --config, or --offline over every wire kit')
    .option('-c, --config <file>', 'gateway config, YAML or JSON (see docs/gateway.md)')
    .option(
      '--port <n>',
      'port to listen on (default 4000; 0 picks a free one)',
      number('--port', (v) => Number.isInteger(v) && v >= 0 && v < 65536, 'a port number'),
    )
    .option('--host <address>', 'address to listen on (default 127.0.0.1)')
    .action(
      action(async (flags: { config?: string; port?: number; host?: string }, command: Command) =>
        (await import('./serve-command.js')).runServe(flags, global(command)),
      ),
    )

  return program
}
