import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, wherever the command was started from. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Tools the setup step builds or resolves (git-ignored). */
export const toolsDir = path.join(projectRoot, '.tools');
export const toolsBinDir = path.join(toolsDir, 'bin');

export const rulesDir = path.join(projectRoot, 'rules');
