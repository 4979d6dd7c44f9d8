import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { parseDay, WorkingCalendar } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { aggregateCommand } from './aggregate.command';
import { UsageError } from './cli-error';
import { cliContext } from './cli-context';
import { ensureDemoSigningIdentity, importTextCommand, renderCommand, SigningCliModule, signingIdentityCommand, verifyCommand } from './documents.commands';
import { DEMO_COMMITTEE } from './demo-township';
import { sampleCommand, SampleOptions } from './sample.command';
import { SeedDemoService } from './seed-demo.service';
import { DemoDirectiveModule, DemoDirectiveService } from './demo-directive.service';

/** The calendar with the database's local overrides when the database answers, else the national one. */
async function withCalendar<T>(work: (cal: WorkingCalendar) => T): Promise<T> {
  try {
    const ctx = await cliContext();
    try {
      return work(await ctx.get(CalendarService).calendar());
    } finally {
      await ctx.close();
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const reason =
      (err as Error).message
        .split('\n')
        .map((l) => l.trim())
        .find(Boolean) ?? String(err);
    process.stderr.write(`提示：无法读取数据库中的本地日历调整（${reason}），仅按国家法定节假日计算。\n`);
    return work(new WorkingCalendar());
  }
}

function parseCount(n: string): number {
  if (!/^-?\d+$/.test(n) || Math.abs(Number(n)) > 10000) throw new UsageError(`工作日数“${n}”无效，应为整数，例如 1 或 -3`);
  return Number(n);
}

export function buildProgram(): Command {
  const program = new Command('dangjian').description('党建工作流与公文审批系统命令行').exitOverride();

  const calendar = program.command('calendar').description('工作日历（Asia/Shanghai，含法定节假日与调休）');
  calendar
    .command('add-workdays <date> <n>')
    .description('从某日起向后（n 为负数则向前）数 n 个工作日，打印结果日期')
    .action(async (date: string, n: string) => {
      const day = parseDay(date);
      const count = parseCount(n);
      process.stdout.write(`${await withCalendar((cal) => cal.addWorkdays(day, count))}\n`);
    });
  calendar
    .command('is-workday <date>')
    .description('打印 true 或 false')
    .option('-v, --verbose', '同时打印原因（如“春节放假”）')
    .action(async (date: string, opts: { verbose?: boolean }) => {
      const day = parseDay(date);
      const info = await withCalendar((cal) => cal.describe(day));
      process.stdout.write(opts.verbose ? `${info.workday}\t${info.reason}\n` : `${info.workday}\n`);
    });

  program
    .command('audit')
    .description('审计日志')
    .command('verify')
    .description('校验审计日志的哈希链和签名检查点，逐条报告每一处断开')
    .action(async () => {
      const ctx = await cliContext();
      try {
        const r = await ctx.get(AuditService).verify();
        if (r.warning) process.stdout.write(`注意：${r.warning}\n`);
        if (r.ok) process.stdout.write(`审计链完整：已校验 ${r.checked} 条记录、${r.checkpoints} 个签名检查点。\n`);
        else {
          process.stdout.write(`审计链有 ${r.breaks.length} 处断开（共读到 ${r.checked} 条记录、${r.checkpoints} 个签名检查点）：\n`);
          for (const b of r.breaks) process.stdout.write(`  第 ${b.seq} 条：${b.reason}\n`);
          process.exitCode = 1;
        }
      } finally {
        await ctx.close();
      }
    });

  program
    .command('seed-demo')
    .description('创建演示乡镇（大滩乡党委及其 21 个支部）和各角色演示账号；可重复运行')
    .action(async () => {
      const ctx = await cliContext();
      try {
        const r = await ctx.get(SeedDemoService).seed();
        const signing = await ensureDemoSigningIdentity(ctx, DEMO_COMMITTEE.code);
        if (signing) process.stdout.write(`${signing}\n`);
        if (r.logins.length === 0) {
          process.stdout.write(`演示数据已存在（${r.organizations} 个组织，${r.people} 个账号），未作改动。\n`);
          return;
        }
        process.stdout.write(`已创建演示乡镇：${r.organizations} 个组织，${r.people} 个账号。演示登录（密码相同）：\n`);
        for (const l of r.logins) process.stdout.write(`  ${l.username.padEnd(12)} ${l.password}  ${l.roles}\n`);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('demo-directive')
    .description('演示乡镇的第一份发文（大滩委发〔2017〕58号，附年度计划填报）走完起草、核稿、签发、印发；需要工作进程在运行；已有发文时不做改动')
    .action(async () => {
      const ctx = await cliContext(DemoDirectiveModule);
      try {
        const r = await ctx.get(DemoDirectiveService).issue((line) => process.stdout.write(`  ${line}\n`));
        process.stdout.write(
          r.created ? `演示发文已印发：${r.docNumber ?? ''}《${r.title}》，21 个支部各有一条签收和一条填报待办。\n` : '演示乡镇已有发文，未作改动。\n',
        );
      } finally {
        await ctx.close();
      }
    });

  program
    .command('import-text <file>')
    .description('把纯文本公文导入为公文模型 JSON')
    .requiredOption('--out <model.json>', '输出文件')
    .action((file: string, opts: { out: string }) => importTextCommand(file, opts.out));

  program
    .command('render <model>')
    .description('把公文模型 JSON 渲染为红头 PDF（--html 输出预览 HTML，--ofd 输出 OFD 版式文件）')
    .option('--out <file>', '输出文件（PDF，或 --html 时的 HTML）')
    .option('--html', '输出 HTML 预览而不是 PDF')
    .option('--ofd <file>', '输出 OFD 版式文件（GB/T 33190-2016），版面与 PDF 相同')
    .option('--chrome <path>', 'Chromium 路径', process.env.CHROME_PATH ?? '/usr/bin/chromium')
    .action((file: string, opts: { out?: string; html?: boolean; ofd?: string; chrome: string }) =>
      renderCommand(file, opts.out, { html: opts.html, ofd: opts.ofd, chromePath: opts.chrome }),
    );

  program
    .command('verify <pdf>')
    .description('验证已印发公文 PDF 的电子签名：签名机关、证书、时间，文件是否自签名后未被改动（未签名或被改动时退出码为 1）')
    .action((file: string) => {
      process.exitCode = verifyCommand(file);
    });

  program
    .command('signing-identity <orgCode>')
    .description('设置发文机关的签名证书（PKCS#12）和电子印章图片；--demo 生成自签名演示证书和演示印章')
    .option('--p12 <file>', '证书文件（.p12/.pfx，含私钥）')
    .option('--password <password>', '证书密码')
    .option('--seal <file>', '印章图片（PNG、JPEG 或 SVG）')
    .option('--demo', '生成自签名演示证书和演示印章（已有证书时不改动）')
    .action(async (orgCode: string, opts: { p12?: string; password?: string; seal?: string; demo?: boolean }) => {
      const ctx = await cliContext(SigningCliModule);
      try {
        await signingIdentityCommand(ctx, orgCode, opts);
      } finally {
        await ctx.close();
      }
    });

  program
    .command('sample')
    .description('按抽查规则从组织快照中抽样，每行打印一个抽中的编号；同一规则、快照和种子总是得到相同结果')
    .requiredOption('--rule <rule.json>', '抽样规则，如 {"levels":[{"level":0,"min":10},{"level":1,"min":1,"max":2}]}')
    .requiredOption('--orgs <orgs.json>', '组织与抽查对象快照：{ scopeId, orgs, units, excluded }')
    .requiredOption('--seed <seed>', '随机种子（抽查轮次保存的种子）')
    .option('-v, --verbose', '在标准错误输出中列出各层各组织的抽取情况')
    .action((opts: SampleOptions) => sampleCommand(opts));

  program
    .command('aggregate <ballots.json>')
    .description('按述职评议计分公式（第 1 版）重新计算一轮述职评议导出的选票文件，每位书记一行：名次、各组得分、日常考核、总分、等次')
    .action((file: string) => aggregateCommand(file));

  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError || (err instanceof DomainError && err.code === 'VALIDATION')) {
      process.stderr.write(`错误：${err instanceof DomainError && err.fields.length ? err.fields.map((f) => f.message).join('；') : err.message}\n`);
      return 2;
    }
    process.stderr.write(`错误：${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
