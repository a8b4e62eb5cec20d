import 'reflect-metadata';
import { BadRequestException, Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiOkResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';
import { requestDto, responseDto } from './openapi';
import { ZodValidationPipe } from './validation';

const View = z.object({ id: z.string(), note: z.string().nullable(), closedAt: z.iso.datetime().nullable(), failure: z.object({ type: z.string().nullable() }).nullable() });

describe('responseDto', () => {
  it('writes nullable types as OpenAPI 3.0 (`nullable: true`), not as JSON Schema type arrays', async () => {
    class ViewResponse extends responseDto(View) {}
    @Controller('views')
    class ViewsController {
      @Get()
      @ApiOkResponse({ type: [ViewResponse] })
      list(): unknown[] {
        return [];
      }
    }
    @Module({ controllers: [ViewsController] })
    class ViewsModule {}
    const app = await NestFactory.create(ViewsModule, { logger: false });
    try {
      const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, new DocumentBuilder().build()));
      const schema = document.components?.schemas?.ViewResponse as { properties: Record<string, Record<string, unknown>> };
      expect(schema.properties.id).toEqual({ type: 'string' });
      expect(schema.properties.note).toEqual({ type: 'string', nullable: true });
      expect(schema.properties.closedAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
      expect(schema.properties.failure).toMatchObject({ type: 'object', nullable: true, properties: { type: { type: 'string', nullable: true } } });
      expect(JSON.stringify(document)).not.toMatch(/"type":\[/);
      expect(document.paths['/views']?.get?.responses['200']).toMatchObject({ content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/ViewResponse' } } } } });
    } finally {
      await app.close();
    }
  });
});

describe('ZodValidationPipe', () => {
  class Body extends requestDto(z.strictObject({ name: z.string().min(1), limit: z.coerce.number().int().default(20) })) {}
  const pipe = new ZodValidationPipe();

  it('passes the parsed value on', () => {
    expect(pipe.transform({ name: 'x' }, { type: 'body', metatype: Body })).toEqual({ name: 'x', limit: 20 });
  });

  it("answers today's 400: every bad field named in `message` and `issues`", () => {
    let error: unknown;
    try {
      pipe.transform({ name: '', limit: 'many', extra: 1 }, { type: 'body', metatype: Body });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    const body = (error as BadRequestException).getResponse() as { statusCode: number; error: string; message: string; issues: Array<{ field: string; message: string }> };
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.issues.map((issue) => issue.field)).toEqual(['name', 'limit', '(body)']);
    expect(body.message).toBe(body.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
  });

  it('leaves parameters without a DTO alone', () => {
    expect(pipe.transform('ch_1', { type: 'param', metatype: String })).toBe('ch_1');
  });
});
