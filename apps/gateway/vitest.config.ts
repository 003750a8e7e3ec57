import base from '../../vitest.config.base.ts'

export default base
