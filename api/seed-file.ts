import path from 'node:path'
import { projectRoot } from './config.js'

/** The seed register loaded into an empty database (see data/seed/README.md). */
export const SEED_FILE = path.join(projectRoot, 'data', 'seed', 'research-places.geojson')
