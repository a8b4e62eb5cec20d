/** The codec server the Web UI decodes encrypted payloads through. */
import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller';

@Module({ controllers: [CodecController] })
export class CodecModule {}
