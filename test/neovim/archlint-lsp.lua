-- Drives Neovim's own LSP client (0.7: vim.lsp.start_client and buf_attach_client, push
-- diagnostics only) against `archlint lsp --stdio`, as a user's config would, and writes what the
-- client received as JSON for test/neovim/neovim.test.ts to compare with `archlint lint`.
--
-- Run headless, from the test:
--   nvim --headless --clean -n -i NONE -c 'luafile test/neovim/archlint-lsp.lua'
-- with, in the environment:
--   ARCHLINT_NVIM_CMD     the server's command as a JSON array (node, bin/archlint.js, lsp, --stdio)
--   ARCHLINT_NVIM_FILE    the architecture file to open (a copy: it is written when a fix is applied)
--   ARCHLINT_NVIM_REPORT  where the JSON report goes
--   ARCHLINT_NVIM_FIX     optional: the rule id whose preferred quick fix is requested and applied
--   ARCHLINT_NVIM_FIX_ALL optional: "1" to request and apply source.fixAll.archlint instead
--   ARCHLINT_NVIM_SETTINGS optional: the client's `settings` as JSON (sent in on_init, as a 0.7 config does)
--   ARCHLINT_NVIM_STEP_MS optional: the bound on each wait (default 20000)
--
-- Every wait is bounded. The exit code says what happened: 0 done; otherwise `:cquit` with one of
-- the FAILED codes below, and the report (as far as it got) names the stage and the error.

local FAILED = {
  error = 1, -- a Lua error or a bad argument
  start = 2, -- the server did not start or initialize
  diagnostics = 3, -- no diagnostics for the opened text
  action = 4, -- no such code action offered
  apply = 5, -- the action's edit did not change the buffer
  rediagnose = 6, -- no diagnostics for the fixed text
}

local STEP_MS = tonumber(os.getenv('ARCHLINT_NVIM_STEP_MS') or '') or 20000
local POLL_MS = 20

local nvim_version = vim.version()
-- log_path: Neovim's LSP log, where its client writes what it found wrong (a warning or worse).
local report = {
  stage = 'start',
  nvim = nvim_version.major .. '.' .. nvim_version.minor .. '.' .. nvim_version.patch,
  log_path = vim.lsp.get_log_path(),
}

local function write_report()
  local path = os.getenv('ARCHLINT_NVIM_REPORT')
  if not path then return end
  local file = io.open(path, 'w')
  if file then
    file:write(vim.fn.json_encode(report))
    file:close()
  end
end

local function fail(code, message)
  report.error = message
  write_report()
  vim.cmd('cquit ' .. code)
end

local function required_env(name)
  local value = os.getenv(name)
  if value == nil or value == '' then error(name .. ' is not set') end
  return value
end

-- The latest publishDiagnostics per document version, as the server sent it (LSP ranges, UTF-16).
local published = {}

local function on_publish(err, result, ctx, config)
  if result and result.version then published[result.version] = result.diagnostics end
  return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
end

--- What Neovim shows for the buffer (vim.diagnostic: 0-based lines, byte columns).
local function shown(bufnr, client_id)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(client_id) })) do
    table.insert(items, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code,
    })
  end
  return items
end

--- The LSP diagnostics as received, reduced to what the test compares.
local function received(diagnostics)
  local items = {}
  for _, d in ipairs(diagnostics or {}) do
    table.insert(items, { range = d.range, severity = d.severity, message = d.message, source = d.source, code = d.code })
  end
  return items
end

--- Waits (bounded) for the diagnostics of the buffer's current version.
local function await_diagnostics(bufnr)
  local version = vim.lsp.util.buf_versions[bufnr]
  local ok = vim.wait(STEP_MS, function() return published[version] ~= nil end, POLL_MS)
  return ok and version or nil
end

local function main()
  local cmd = vim.fn.json_decode(required_env('ARCHLINT_NVIM_CMD'))
  local file = required_env('ARCHLINT_NVIM_FILE')
  local fix_rule = os.getenv('ARCHLINT_NVIM_FIX')
  local fix_all = os.getenv('ARCHLINT_NVIM_FIX_ALL') == '1'
  local settings = os.getenv('ARCHLINT_NVIM_SETTINGS')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = 'archlint',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    settings = settings and vim.fn.json_decode(settings) or nil,
    -- Neovim 0.7 does not offer workspace/configuration: settings reach a server only when the
    -- config sends them, as 0.7's documentation of on_init asks.
    on_init = function(client)
      if settings then client.notify('workspace/didChangeConfiguration', { settings = client.config.settings }) end
    end,
    handlers = { ['textDocument/publishDiagnostics'] = on_publish },
  })
  if not client_id then return fail(FAILED.start, 'vim.lsp.start_client returned nil') end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  local function started() return client.initialized or client.is_stopped() end
  if not vim.wait(STEP_MS, started, POLL_MS) or not client.initialized then
    return fail(FAILED.start, 'the server did not initialize within ' .. STEP_MS .. ' ms')
  end
  report.offset_encoding = client.offset_encoding

  report.stage = 'diagnostics'
  local version = await_diagnostics(bufnr)
  if not version then return fail(FAILED.diagnostics, 'no diagnostics within ' .. STEP_MS .. ' ms') end
  report.published = received(published[version])
  report.shown = shown(bufnr, client_id)

  if fix_rule or fix_all then
    report.stage = 'action'
    local context = nil
    if fix_all then
      context = { only = { 'source.fixAll.archlint' }, diagnostics = {} }
    else
      local target = nil
      for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(client_id) })) do
        if d.code == fix_rule then
          target = d
          break
        end
      end
      if not target then return fail(FAILED.action, 'no diagnostic of ' .. fix_rule) end
      -- The cursor on the finding, as a user puts it before asking for code actions.
      vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
    end

    -- Neovim's own code action path (vim.lsp.buf.code_action → vim.ui.select →
    -- util.apply_workspace_edit with the client's offset encoding); the menu is answered here.
    local chosen = nil
    local offered = nil
    local original_select = vim.ui.select
    vim.ui.select = function(items, _, on_choice)
      offered = {}
      local pick = nil
      for _, item in ipairs(items) do
        local action = item[2]
        table.insert(offered, { title = action.title, kind = action.kind, isPreferred = action.isPreferred == true })
        local wanted = fix_all and action.kind == 'source.fixAll.archlint' or (not fix_all and action.isPreferred)
        if wanted and pick == nil then pick = item end
      end
      chosen = pick and pick[2].title or false
      on_choice(pick)
    end
    -- With no action at all, Neovim only says so through vim.notify.
    local original_notify = vim.notify
    vim.notify = function(message, ...)
      if message == 'No code actions available' then chosen = false end
      return original_notify(message, ...)
    end
    local tick = vim.api.nvim_buf_get_changedtick(bufnr)
    vim.lsp.buf.code_action(context)
    local answered = vim.wait(STEP_MS, function() return chosen ~= nil end, POLL_MS)
    vim.ui.select = original_select
    vim.notify = original_notify
    report.offered = offered
    if not answered then return fail(FAILED.action, 'no code actions within ' .. STEP_MS .. ' ms') end
    if not chosen then return fail(FAILED.action, 'no matching code action offered') end
    report.applied = chosen

    report.stage = 'apply'
    if vim.api.nvim_buf_get_changedtick(bufnr) == tick then return fail(FAILED.apply, 'the edit did not change the buffer') end
    vim.cmd('write')

    report.stage = 'rediagnose'
    local fixed = await_diagnostics(bufnr)
    if not fixed then return fail(FAILED.rediagnose, 'no diagnostics for the fixed text within ' .. STEP_MS .. ' ms') end
    report.published_after = received(published[fixed])
    report.shown_after = shown(bufnr, client_id)
  end

  report.stage = 'done'
  vim.lsp.stop_client(client_id)
  vim.wait(STEP_MS, function() return client.is_stopped() end, POLL_MS)
  write_report()
  vim.cmd('qall!')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then fail(FAILED.error, tostring(err)) end
