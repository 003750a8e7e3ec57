// A closer look at one figure for a few clients: more rounds than `pnpm bench`, in the same
// processes, with the ratio of each client to the first one measured round by round.
//   node src/compare.mjs openai:sdk,openai:modelplex sequential 40
// Figures: sequential | concurrent | stream | firstToken. The clients' order alternates by round.
import { CLIENTS } from './clients.mjs'
import { startServer, startWorker } from './processes.mjs'
import { settings, warmup } from './settings.mjs'
import { median } from './stats.mjs'

const [ids = 'openai:sdk,openai:modelplex', figure = 'sequential', rounds = '40'] = process.argv.slice(2)
const list = ids.split(',')
for (const id of list) {
  if (!CLIENTS.some((client) => client.id === id)) throw new Error(`unknown client ${id}`)
}
const { server, baseURL } = await startServer()
const workers = list.map((id) => startWorker(id, baseURL, settings))
try {
  for (const worker of workers) await worker.call('warmup', warmup)
  const samples = list.map(() => [])
  for (let round = 0; round < Number(rounds); round++) {
    const order = round % 2 ? [...workers.keys()].reverse() : [...workers.keys()]
    for (const index of order) samples[index].push((await workers[index].call(figure)).value)
  }
  const quartiles = (values) => {
    const sorted = values.toSorted((a, b) => a - b)
    return [
      sorted[Math.floor(sorted.length / 4)],
      median(sorted),
      sorted[Math.floor((sorted.length * 3) / 4)],
    ]
  }
  for (const [index, id] of list.entries()) {
    const [low, mid, high] = quartiles(samples[index])
    const [rLow, rMid, rHigh] = quartiles(samples[index].map((value, round) => value / samples[0][round]))
    process.stdout.write(
      `${id.padEnd(22)} ${figure}: median ${mid.toFixed(1)} (quartiles ${low.toFixed(1)}–${high.toFixed(1)}); ` +
        `× ${list[0]} by round: ${rMid.toFixed(3)} (quartiles ${rLow.toFixed(3)}–${rHigh.toFixed(3)})\n`,
    )
  }
} finally {
  await Promise.all(workers.map((worker) => worker.stop()))
  server.send({ type: 'close' })
}
