// Exit codes of every esmctl command, as Terraform's -detailed-exitcode: 0 success / no changes, 1 error,
// 2 success with changes (plan --detailed-exitcode, drift).

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;
