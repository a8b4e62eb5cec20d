/** Applications: their forms, OpenAPI imports, and running one action for a channel. */
import { Module } from '@nestjs/common';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';
import { ApplicationsController } from './applications.controller';
import { ImportController } from './import.controller';

@Module({
  controllers: [ImportController, ApplicationsController, ActionsController],
  providers: [ActionsService],
})
export class ApplicationsModule {}
