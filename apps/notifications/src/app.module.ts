import { Module } from '@nestjs/common';

/** The notifications feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {}
