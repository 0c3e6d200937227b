import { Module } from '@nestjs/common';

/** The device-registry feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {}
