-- Headless Neovim session with concur as the language server (Neovim 0.7+ APIs only).
-- Run by editors/neovim/check.sh: prints the diagnostics Neovim received for the current buffer, the
-- code actions offered on the first one, applies the quick fix, and prints the diagnostics again.
local out = function(line) io.stdout:write(line .. "\n") end
local bufnr = vim.api.nvim_get_current_buf()
local fname = vim.api.nvim_buf_get_name(bufnr)

-- The last publishDiagnostics params as sent (LSP ranges, UTF-16 columns), kept beside what
-- Neovim made of them (vim.diagnostic, byte columns).
local published

local function print_diagnostics(title)
  out(title)
  local diags = vim.diagnostic.get(bufnr)
  table.sort(diags, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(diags) do
    local code = d.code or ((d.user_data or {}).lsp or {}).code or "?"
    out(string.format("  %d:%d %s [%s] %s", d.lnum + 1, d.col + 1,
      vim.diagnostic.severity[d.severity], code, (d.message:gsub("\n.*", ""))))
  end
  out(string.format("  %d diagnostics; their LSP ranges as sent (0-based, UTF-16 columns):", #diags))
  for _, d in ipairs(published.diagnostics) do
    out(string.format("    %s %d:%d-%d:%d", d.code, d.range.start.line, d.range.start.character,
      d.range["end"].line, d.range["end"].character))
  end
end

local function main()
  local client_id = vim.lsp.start_client({
    name = "concur",
    cmd = { os.getenv("CONCUR"), "lsp" },
    root_dir = vim.fn.fnamemodify(fname, ":h"),
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
        published = result
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
  })
  assert(client_id, "could not start concur lsp")
  vim.lsp.buf_attach_client(bufnr, client_id)
  assert(vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20),
    "no diagnostics received")
  print_diagnostics("diagnostics received from concur for " .. vim.fn.fnamemodify(fname, ":t") .. ":")

  local first = published.diagnostics[1]
  local params = vim.lsp.util.make_range_params()
  params.range = first.range
  params.context = { diagnostics = { first } }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 5000) or {}
  local fix
  out("code actions on line " .. (first.range.start.line + 1) .. ":")
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      out("  " .. action.title)
      if not fix and not action.title:match("^suppress") then fix = action end
    end
  end
  if fix then
    out("applying: " .. fix.title)
    vim.lsp.util.apply_workspace_edit(fix.edit, "utf-16")
    local line = first.range.start.line
    out("  line " .. (line + 1) .. " is now: " .. vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1])
    local before = #vim.diagnostic.get(bufnr)
    vim.wait(10000, function() return #vim.diagnostic.get(bufnr) < before end, 20)
    print_diagnostics("diagnostics after the fix (linted from the buffer, not saved):")
  end
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
end

local ok, err = pcall(main)
if not ok then
  out("error: " .. tostring(err))
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
