export function hasCommand(command: string): boolean;
export function installDebianPackage(name: string, purpose: string, hint?: string): void;
