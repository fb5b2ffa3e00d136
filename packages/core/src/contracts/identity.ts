/**
 * Tenant and user ids (the JWT's tenant claim and `sub`) become key parts and
 * FIFO group ids (`tenant#user`): short, plain, and never containing `#`.
 */
export const IDENTITY_VALUE = /^[A-Za-z0-9._:@|+=-]{1,128}$/;
export const IDENTITY_RULE = "1-128 characters: letters, digits and . _ : @ | + = -";
