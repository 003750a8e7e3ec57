export { createMine, default, type MineSettings } from './mine-provider.js'
