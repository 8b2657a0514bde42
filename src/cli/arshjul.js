#!/usr/bin/env node
// The `arshjul` command: TypeScript runs through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
