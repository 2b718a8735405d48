/** Messages that more than one layer gives for the same fact (the workflow's check and the database's constraint). */

export const TRANSFER_OPEN = '该人员已有进行中的调转申请';
