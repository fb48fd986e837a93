import {
  ledgerPage,
  levelListQuery,
  levelPage,
  levelParams,
  levelView,
  movementCreate,
  movementListQuery,
  movementView,
  thresholdsInput,
  turnoverPage,
  turnoverQuery,
} from '../../lib/inventory/schema';
import { ALL_ROLES, type Role } from '../../lib/platform/roles';
import { idParams } from '../../lib/platform/schema';
import { defineHttpFunction } from './types';

/** Production keeps the stock; admin may correct it; procurement records receipts (checked per kind). */
const STOCK_KEEPERS: readonly Role[] = ['production', 'admin'];

export const inventoryFunction = defineHttpFunction({
  kind: 'http',
  name: 'inventory',
  description: 'Stock levels and thresholds, movements and their ledger, turnover.',
  entry: 'functions/http/inventory.ts',
  routes: {
    listStock: {
      method: 'GET',
      path: '/stock',
      summary: 'Stock levels by warehouse or product, or those below minimum/safety or above maximum.',
      roles: ALL_ROLES,
      query: levelListQuery,
      status: 200,
      response: levelPage,
    },
    getStock: {
      method: 'GET',
      path: '/stock/{productId}/{warehouseId}',
      summary: 'One product’s stock in one warehouse; the ETag is the thresholds’ version.',
      roles: ALL_ROLES,
      params: levelParams,
      status: 200,
      response: levelView,
    },
    setThresholds: {
      method: 'PUT',
      path: '/stock/{productId}/{warehouseId}/thresholds',
      summary: 'Set safety ≤ minimum ≤ maximum, reorder quantity and lead time.',
      roles: STOCK_KEEPERS,
      params: levelParams,
      body: thresholdsInput,
      ifMatch: true,
      status: 200,
      response: levelView,
    },
    getTurnover: {
      method: 'GET',
      path: '/stock/turnover',
      summary: 'Per product and warehouse for a month: issued, average on-hand, turnover, days of inventory.',
      roles: ALL_ROLES,
      query: turnoverQuery,
      status: 200,
      response: turnoverPage,
    },
    recordMovement: {
      method: 'POST',
      path: '/stock-movements',
      summary: 'Receive, issue, transfer or adjust stock: one all-or-nothing transaction; 409 with what is available on a shortfall.',
      roles: [...STOCK_KEEPERS, 'procurement'],
      body: movementCreate,
      idempotent: true,
      status: 201,
      response: movementView,
    },
    listMovements: {
      method: 'GET',
      path: '/stock-movements',
      summary: 'Ledger entries of a product and/or warehouse, newest first.',
      roles: ALL_ROLES,
      query: movementListQuery,
      status: 200,
      response: ledgerPage,
    },
    getMovement: {
      method: 'GET',
      path: '/stock-movements/{id}',
      summary: 'One movement with its ledger entries.',
      roles: ALL_ROLES,
      params: idParams,
      status: 200,
      response: movementView,
    },
  },
});

