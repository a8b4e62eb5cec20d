/**
 * Serves the console's built files (dist/console, made by `npm run build`) at /console. The page
 * and its assets hold no data and no secret, so they are public; everything they show comes from
 * the API with the signed-in key. Every path under /console that is not an asset is the page
 * itself, so a reload or a shared link lands on the same view.
 */
import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/temporal-cli';
import { Public } from '../auth/scopes';

const CONSOLE_DIR = join(projectRoot, 'dist', 'console');

/** Only the built bundle's own files; nothing else under dist is reachable. */
const ASSETS: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console-styles.css': 'text/css; charset=utf-8',
};

/**
 * The page runs only its own script and style: no inline code, no other origin, never framed.
 * 'unsafe-eval' is there for Ajv, which compiles each form's JSON Schema into a function; no
 * inline or foreign script can run, so nothing injected reaches eval.
 */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

@ApiTags('console')
@Public()
@Controller('console')
export class ConsoleController {
  @Get('assets/:file')
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Res() res: Response): void {
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) return void res.status(HttpStatus.NOT_FOUND).type('text/plain').send('not found');
    res.set({ ...HEADERS, 'content-type': type, 'cache-control': 'no-cache' }).sendFile(file, { root: join(CONSOLE_DIR, 'assets') });
  }

  @Get(['', '*path'])
  @ApiOperation({
    summary: 'The console: a web page to connect accounts, configure channels, run them and watch their runs',
    description: 'Public HTML page (no data); it signs in with an API key, kept in the tab, and calls this API with it.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The console page', content: { 'text/html': { schema: { type: 'string' } } } })
  page(@Res() res: Response): void {
    res.set({ ...HEADERS, 'cache-control': 'no-cache' });
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) return void res.status(HttpStatus.SERVICE_UNAVAILABLE).type('text/plain').send('The console is not built: run npm run build.');
    res.sendFile('index.html', { root: CONSOLE_DIR });
  }
}
