export declare const depConstraints: unknown[];
export declare const testDepConstraints: unknown[];
export declare const projectTypes: string[];
export declare const projectScopes: string[];
