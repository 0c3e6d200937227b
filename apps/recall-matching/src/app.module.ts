import { Module } from '@nestjs/common';

/** The recall-matching feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {}
