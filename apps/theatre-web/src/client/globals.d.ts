/** Set by vite.config.mts: true in development builds only. */
declare const __DEV_SIGN_IN__: boolean;
