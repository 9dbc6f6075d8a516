#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/ by `npm run build` (run on install by `prepare`).
require('../dist/cli.js');
