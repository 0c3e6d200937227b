import { Module } from '@nestjs/common';

/** The implant-events feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {}
