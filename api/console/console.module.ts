import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** The console's page and assets (see ConsoleController). */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
