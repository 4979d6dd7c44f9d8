// One place that knows where the generated client lives.
export * from '../../../../generated/prisma/client';
