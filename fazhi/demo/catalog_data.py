"""Static data of the demo county's enforcement catalog (东辽县, 2024).

Three kinds of rows, kept as pipe-separated tables so a reviewer can read one law per line:

* ``PENALTIES`` — the base table of real penalty items: the act, the statute (law, article,
  paragraph) and the statutory fine. Only articles whose wording and fine we are confident of
  are listed; where a statute gives two fine forms (an amount below a threshold, a multiple
  above it) the form that fits the common county case is stored and ``basis_text`` quotes the
  rest. Variants of a base item ("对餐饮服务提供者……的处罚") keep its citation and fine,
  which stay correct because the article applies to every such party.
* ``TEMPLATES`` and ``LICENCES`` — inspection, coercion, licensing and other items per
  department, expanded over the parties of a subject group. They cite the department's
  general supervision article; :mod:`fazhi.demo.catalog` marks every generated row as demo data.
* ``TOWNSHIP_ITEMS`` — what each township does in its own name.

Counts, flags and document numbers are demo assumptions: the seed report gives only totals
(2645 items, the four lists, 181 首违不罚 entries in 18 departments, 53 delegated items).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi.rules.enforcement import ItemCategory, PenaltyType

# --- Parties a base item or template is expanded over -------------------------------------

_SUBJECTS = """
food|食品生产企业,食品销售企业,个体食品经营户,餐饮服务提供者,学校食堂,养老机构食堂,集体用餐配送单位,中央厨房,食品生产加工小作坊,食品摊贩,网络食品经营者,食品贮存服务提供者,食品添加剂生产企业,保健食品经营者,特殊医学用途配方食品经营者,婴幼儿配方乳粉经营者
market|有限责任公司,股份有限公司,个人独资企业,合伙企业,个体工商户,农民专业合作社,分公司,外商投资企业,非公司企业法人,网络经营者,一人有限责任公司,国有企业,集体所有制企业,外国企业常驻代表机构,农民专业合作社联合社,直销企业
price|商场超市,农贸市场经营户,药品零售企业,医疗机构,停车场经营者,加油站,宾馆酒店,旅游景区,物业服务企业,餐饮服务提供者,景区餐饮经营者,电动汽车充电设施运营者,殡葬服务单位,机动车维修经营者
product|工业产品生产企业,建材销售企业,农资销售企业,家电销售企业,日用品经营者,电线电缆经营者,儿童用品经营者,电动自行车经营者,成品油经营者,网络销售经营者,汽车配件经营者,燃气器具经营者,消防产品经营者,化肥经营者,纺织服装经营者,装饰装修材料经营者
ad|广告主,广告经营者,广告发布者,互联网广告发布者,医疗美容机构,食品经营企业,保健食品经营企业,房地产开发企业,教育培训机构,户外广告设置单位,网络直播营销平台,医疗机构
ecommerce|网络零售经营者,网络餐饮服务经营者,直播营销经营者,平台内经营者,自建网站经营者
special_eq|电梯使用单位,锅炉使用单位,压力容器使用单位,气瓶充装单位,场（厂）内专用机动车辆使用单位,大型游乐设施运营使用单位,起重机械使用单位,压力管道使用单位
drug|药品零售企业,药品零售连锁门店,药品批发企业,村卫生室,诊所,医疗机构
vehicle|载货汽车,半挂汽车列车,全挂汽车列车,专项作业车,三轮汽车,低速货车,自卸汽车,罐式货车
road_party|道路货物运输经营者,施工单位,公路沿线单位,个体工商户,其他单位,个人,广告经营者,加油站经营者
transport|道路货物运输经营者,道路旅客运输经营者,机动车维修经营者,机动车驾驶员培训机构,道路运输站（场）经营者,出租汽车经营者,汽车租赁经营者,网络预约出租汽车经营者
polluter|工业企业,化工企业,建材企业,医疗机构,畜禽养殖场,汽车维修企业,印刷企业,家具制造企业,污水处理厂,混凝土搅拌站,铸造企业,涂装企业,食品加工企业,洗涤企业,屠宰企业,矿山企业
person_unit|个人,农户,农民专业合作社,其他单位
land_party|单位,个人,村集体经济组织
mining|砂石土矿开采企业,采石场,取土场,个人
construction_owner|房屋建筑工程建设单位,市政基础设施工程建设单位,房地产开发企业,工业项目建设单位,农村公益设施建设单位,个人建房户,水利工程建设单位,交通工程建设单位,学校建设项目建设单位,医院建设项目建设单位
construction_contractor|施工总承包单位,专业承包单位,劳务分包单位,装饰装修施工单位,市政工程施工单位,房屋拆除施工单位,园林绿化施工单位,水利水电施工单位,电力工程施工单位,通信工程施工单位
urban|沿街商户,夜市经营者,个体经营者,施工单位,物业服务企业,广告设置单位,再生资源回收经营者,其他单位,流动摊贩,快递网点
catering|餐饮企业,个体餐饮经营户,烧烤店,火锅店,单位食堂,农家乐,小吃店,大排档
waste_transport|建筑垃圾运输企业,渣土运输车队,个体运输户,建筑垃圾消纳场
urban_unit|施工单位,建设单位,物业服务企业,装饰装修企业,运输单位,其他单位,拆迁单位,市政养护单位
safety|工贸企业,危险化学品经营单位,非煤矿山企业,烟花爆竹经营单位,冶金企业,有限空间作业单位,粉尘涉爆企业,加油站,人员密集场所经营单位,小微企业,建材企业,机械制造企业,食品加工企业,涉氨制冷企业,木材加工企业,纺织企业
hazchem|危险化学品经营企业,加油站,危险化学品使用单位,危险化学品储存单位,涉及重点监管危险化工工艺的企业
fireworks|个人,个体工商户,烟花爆竹零售网点
agri_input|农资经营门店,种子经营者,农药经营者,家庭农场,农民专业合作社,网络农资经营者,个体工商户,农资连锁企业,供销社农资门店,种植大户,农业生产企业,肥料经营者,种子零售门店,农机专业合作社
agri_pesticide|农药零售门店,农药批发企业,农资连锁经营企业,供销社农资门店,网络农药经营者,植保专业服务组织,乡村农资代销点
livestock|兽药经营企业,畜禽养殖场,养殖户,动物诊疗机构,饲料经营企业,种畜禽场
medical|诊所,个体诊所,村卫生室,医疗美容机构,口腔诊所,中医诊所,民营医院,社区卫生服务站,门诊部,医学检验实验室,乡镇卫生院,个体中医馆
public_place|宾馆,旅店,公共浴室,理发店,美容店,游泳场馆,歌舞厅,商场,候车室,体育场馆,足浴店,健身场馆,影剧院,图书馆
travel_party|公司,个人,网络平台经营者
travel_agency|旅行社分社,旅行社服务网点,出境游组团社,入境游接待社,旅行社门市部
cafe_party|个人,个体工商户,游戏厅经营者
police_place|旅馆,公共娱乐场所,典当行,废旧金属收购站,公章刻制企业,机动车修理企业,开锁企业,互联网上网服务营业场所
vehicle_check|未悬挂机动车号牌的机动车,未放置检验合格标志的机动车,未放置保险标志的机动车,未随车携带行驶证的机动车
nonmotor|电动自行车驾驶人,自行车驾驶人,行人,乘车人
water_party|工业企业,农业灌溉用水户,自来水供水单位,采砂经营者,养殖户,个人,洗车场,建设单位
forest_party|个人,农户,林业经营者,施工单位,采矿企业,村集体经济组织,企业,养殖户
timber|木材经营加工单位,个体木材加工户,运输经营者
employer|企业,个体经济组织,民办非企业单位,建筑施工企业,劳务派遣单位,餐饮企业,商贸企业,制造企业,物业服务企业,快递企业
medical_insurance|定点医疗机构,定点零售药店,民营医院,村卫生室,门诊部,诊所,医养结合机构,乡镇卫生院
scrap|个人,个体工商户,汽车维修企业,废旧物资回收企业
funeral|殡葬用品经营者,个体工商户,殡葬服务机构,网络销售经营者
civil_defense|房地产开发企业,物业服务企业,人防工程使用单位,其他单位
shelter_builder|房地产开发企业,工业项目建设单位,学校建设项目建设单位,医院建设项目建设单位,商业综合体建设单位
school|培训机构,托管机构,幼儿园
school_inspect|义务教育学校,民办学校,幼儿园,校外培训机构,中等职业学校
social_org|社会团体,行业协会商会,学术性社会团体,联合性社会团体
industry|工业企业,小微企业,建材企业,冶金企业
bid_party|依法必须招标项目的招标人,招标代理机构,投标人
energy|重点用能单位,固定资产投资项目建设单位,公共机构
procurement|采购人,集中采购机构,采购代理机构,供应商
metrology|集贸市场,加油站,医疗机构,眼镜制配场所,商场超市,出租汽车经营者,定量包装商品生产企业,燃气经营企业
"""

# --- Base table: real penalty items ------------------------------------------------------
#
# org|key|actor|act|law|article|paragraph|types|basis|min|max|flags|group|multiple_of
#
# types: W 警告 C 通报批评 F 罚款 G 没收违法所得 P 没收非法财物 S 暂扣许可证件 L 降低资质等级
#        R 吊销许可证件 B 限制开展生产经营活动 T 责令停产停业 X 责令关闭 Q 限制从业 D 行政拘留
#        O 其他 (行政处罚法 第九条). basis: a 金额, m 倍数, - 无罚款.
# flags: b 常用（制定裁量基准） p 有省级裁量基准（县级细化） m 轻微（可列入不予处罚、首违不罚）
#        g 严重（不列入不予处罚、首违不罚） d 可下放乡镇.
# The name is 对{actor}{act}的处罚; a variant puts a party of ``group`` in place of the actor.
_PENALTIES = """
scjgj|food_unlicensed||未取得食品生产经营许可从事食品生产经营活动|中华人民共和国食品安全法|第一百二十二条|第一款|GPF|a|50000|100000|bp|food|
scjgj|food_contaminated||生产经营致病性微生物、农药残留、兽药残留等污染物质含量超过食品安全标准限量的食品|中华人民共和国食品安全法|第一百二十四条|第一款第（一）项|GPFTR|a|50000|100000|g|food|
scjgj|food_expired||生产经营超过保质期的食品、食品添加剂|中华人民共和国食品安全法|第一百二十四条|第一款第（五）项|GPFTR|a|50000|100000|b|food|
scjgj|food_no_label||生产经营无标签的预包装食品、食品添加剂|中华人民共和国食品安全法|第一百二十五条|第一款第（二）项|GPFTR|a|5000|50000|b|food|
scjgj|food_label_flaw||食品标签、说明书存在瑕疵，经责令改正拒不改正|中华人民共和国食品安全法|第一百二十五条|第二款|F|a|0|2000|mb|food|
scjgj|food_purchase_check||未按规定建立并遵守进货查验记录制度|中华人民共和国食品安全法|第一百二十六条|第一款|WFTR|a|5000|50000|mb|food|
scjgj|food_health_cert||安排未取得健康证明的人员从事接触直接入口食品的工作|中华人民共和国食品安全法|第一百二十六条|第一款|WFTR|a|5000|50000|mb|food|
scjgj|food_storage||未按要求进行食品贮存、运输和装卸|中华人民共和国食品安全法|第一百三十二条||WFTR|a|10000|50000|m|food|
scjgj|unregistered||未经设立登记从事经营活动|中华人民共和国市场主体登记管理条例|第四十三条||GFX|a|10000|100000|b||
scjgj|false_registration||提交虚假材料或者采取其他欺诈手段隐瞒重要事实取得市场主体登记|中华人民共和国市场主体登记管理条例|第四十四条||GFR|a|50000|200000|g|market|
scjgj|change_registration||未依照规定办理变更登记|中华人民共和国市场主体登记管理条例|第四十六条||FR|a|10000|100000|mb|market|
scjgj|annual_report||未按照法律、行政法规规定的期限公示或者报送年度报告|中华人民共和国市场主体登记管理条例实施细则|第七十条||F|a|0|10000|mbp|market|
scjgj|unlicensed_business||从事无照经营|无证无照经营查处办法|第十三条||GF|a|0|10000|mb||
scjgj|price_tag||违反明码标价规定|中华人民共和国价格法|第四十二条||GF|a|0|5000|mbp|price|
scjgj|product_unsafe||生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品|中华人民共和国产品质量法|第四十九条||GPFR|m|1|3|gb|product|货值金额
scjgj|product_adulterated||在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品|中华人民共和国产品质量法|第五十条||GPFR|m|0.5|3|g|product|货值金额
scjgj|product_obsolete||生产国家明令淘汰的产品或者销售国家明令淘汰并停止销售的产品|中华人民共和国产品质量法|第五十一条||GPFR|m|0|1||product|货值金额
scjgj|product_spoiled||销售失效、变质的产品|中华人民共和国产品质量法|第五十二条||GPFR|m|0|2||product|货值金额
scjgj|product_false_origin||伪造产品产地，伪造或者冒用他人厂名、厂址，伪造或者冒用认证标志等质量标志|中华人民共和国产品质量法|第五十三条||GPFR|m|0|1||product|货值金额
scjgj|product_marking||产品标识不符合规定|中华人民共和国产品质量法|第五十四条||GPFR|m|0|0.3|m|product|货值金额
scjgj|ad_false||发布虚假广告|中华人民共和国广告法|第五十五条|第一款|FR|m|3|5|g|ad|广告费用
scjgj|ad_prohibited||发布含有法律禁止情形内容的广告|中华人民共和国广告法|第五十七条||FR|a|200000|1000000|g|ad|
scjgj|consumer_rights||侵害消费者合法权益|中华人民共和国消费者权益保护法|第五十六条|第一款|WGFTR|m|1|10||market|违法所得
scjgj|confusion||实施混淆行为|中华人民共和国反不正当竞争法|第十八条|第一款|GPFR|a|0|250000||market|
scjgj|false_promotion||对其商品的性能、功能、质量、销售状况、用户评价等作虚假或者引人误解的商业宣传|中华人民共和国反不正当竞争法|第二十条|第一款|FR|a|200000|1000000|g|market|
scjgj|commercial_bribery||采用财物或者其他手段贿赂单位或者个人|中华人民共和国反不正当竞争法|第十九条||GFR|a|100000|3000000|g|market|
scjgj|trademark||侵犯注册商标专用权|中华人民共和国商标法|第六十条|第二款|PF|a|0|250000|g|market|
scjgj|se_registration|特种设备使用单位|使用特种设备未按照规定办理使用登记|中华人民共和国特种设备安全法|第八十三条|第一款|F|a|10000|100000|mb|special_eq|
scjgj|se_uninspected|特种设备使用单位|使用未经检验或者检验不合格的特种设备|中华人民共和国特种设备安全法|第八十四条||F|a|30000|300000|b|special_eq|
scjgj|se_operator|特种设备使用单位|未配备具有相应资格的特种设备安全管理人员、检测人员和作业人员|中华人民共和国特种设备安全法|第八十六条||FT|a|10000|50000|m|special_eq|
scjgj|drug_unlicensed||未取得药品经营许可证销售药品|中华人民共和国药品管理法|第一百一十五条||GPF|m|15|30|g|drug|货值金额
scjgj|drug_inferior||销售劣药|中华人民共和国药品管理法|第一百一十七条|第一款|GPFR|m|10|20|g|drug|货值金额
scjgj|drug_gsp|药品经营企业|未遵守药品经营质量管理规范|中华人民共和国药品管理法|第一百二十六条||WFTR|a|100000|500000||drug|
scjgj|ecommerce_licence_info|电子商务经营者|未在首页显著位置持续公示营业执照信息、与其经营业务有关的行政许可信息|中华人民共和国电子商务法|第七十六条|第一款第（一）项|F|a|0|10000|mb|ecommerce|
jtysj|overload|车辆|在公路上擅自超限行驶|公路安全保护条例|第六十四条||F|a|0|30000|bp|vehicle|
jtysj|passenger_unlicensed||未取得道路运输经营许可擅自从事道路客运经营|中华人民共和国道路运输条例|第六十三条||GF|m|2|10|g||违法所得
jtysj|road_occupation||擅自占用、挖掘公路|中华人民共和国公路法|第七十六条|第（一）项|F|a|0|30000|d|road_party|
jtysj|road_pipeline||未经同意或者未按照公路工程技术标准的要求修建桥梁、渡槽或者架设、埋设管线、电缆等设施|中华人民共和国公路法|第七十六条|第（二）项|F|a|0|30000||road_party|
jtysj|road_danger_work||从事危及公路安全的作业|中华人民共和国公路法|第七十六条|第（三）项|F|a|0|30000|d|road_party|
jtysj|road_tracked_vehicle||铁轮车、履带车和其他可能损害路面的机具擅自在公路上行驶|中华人民共和国公路法|第七十六条|第（四）项|F|a|0|30000|m||
jtysj|road_facility_damage||损坏、移动、涂改公路附属设施或者损坏、挪动建筑控制区的标桩、界桩，可能危及公路安全|中华人民共和国公路法|第七十六条|第（六）项|F|a|0|30000|m|road_party|
jtysj|road_pollution||造成公路路面损坏、污染或者影响公路畅通|中华人民共和国公路法|第七十七条||F|a|0|5000|mbd|road_party|
jtysj|road_damage_unreported||造成公路损坏未报告|中华人民共和国公路法|第七十八条||F|a|0|1000|m|road_party|
jtysj|road_signs||在公路用地范围内设置公路标志以外的其他标志|中华人民共和国公路法|第七十九条||F|a|0|20000|md|road_party|
jtysj|road_crossing||未经批准在公路上增设平面交叉道口|中华人民共和国公路法|第八十条||F|a|0|50000|d|road_party|
jtysj|road_control_zone||在公路建筑控制区内修建建筑物、地面构筑物或者擅自埋设管线、电缆等设施|中华人民共和国公路法|第八十一条||F|a|0|50000|bd|road_party|
jtysj|road_works_unpermitted||未经许可进行涉路施工活动|公路安全保护条例|第六十二条||F|a|0|30000||road_party|
jtysj|overload_permit_lent||租借、转让超限运输车辆通行证|公路安全保护条例|第六十五条|第三款|PF|a|1000|5000|||
jtysj|overload_evasion||采取短途驳载等方式逃避超限检测|公路安全保护条例|第六十七条|第（二）项|F|a|0|30000|||
jtysj|overload_instructed||指使、强令车辆驾驶人超限运输货物|公路安全保护条例|第六十八条||F|a|0|30000||road_party|
jtysj|load_spill|车辆|装载物触地拖行、掉落、遗洒或者飘散，造成公路路面损坏、污染|公路安全保护条例|第六十九条||F|a|0|5000|mb|vehicle|
sthjfj|air_excess||超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物|中华人民共和国大气污染防治法|第九十九条|第（二）项|FTX|a|100000|1000000|bp|polluter|
sthjfj|air_no_permit||未依法取得排污许可证排放大气污染物|中华人民共和国大气污染防治法|第九十九条|第（一）项|FTX|a|100000|1000000|g|polluter|
sthjfj|air_evasion||通过逃避监管的方式排放大气污染物|中华人民共和国大气污染防治法|第九十九条|第（三）项|FTX|a|100000|1000000|g|polluter|
sthjfj|air_monitoring||未按照规定对所排放的工业废气和有毒有害大气污染物进行监测并保存原始监测记录|中华人民共和国大气污染防治法|第一百条|第（二）项|FT|a|20000|200000|m|polluter|
sthjfj|voc||产生含挥发性有机物废气的生产和服务活动未在密闭空间或者设备中进行|中华人民共和国大气污染防治法|第一百零八条|第（一）项|FT|a|20000|200000|b|polluter|
sthjfj|dust_material||未密闭煤炭、煤矸石、煤渣、煤灰、砂土等易产生扬尘的物料|中华人民共和国大气污染防治法|第一百一十七条|第（一）项|FT|a|10000|100000|mb|polluter|
sthjfj|straw_burning||露天焚烧秸秆、落叶等产生烟尘污染的物质|中华人民共和国大气污染防治法|第一百一十九条|第一款|F|a|500|2000|bd|person_unit|
sthjfj|water_excess||超过水污染物排放标准或者超过重点水污染物排放总量控制指标排放水污染物|中华人民共和国水污染防治法|第八十三条|第（二）项|FTX|a|100000|1000000|g|polluter|
sthjfj|outfall||违反法律、行政法规和国务院环境保护主管部门的规定设置排污口|中华人民共和国水污染防治法|第八十四条|第二款|F|a|20000|100000||polluter|
sthjfj|eia||建设项目未依法报批环境影响评价文件擅自开工建设|中华人民共和国环境影响评价法|第三十一条|第一款|F|m|0.01|0.05|b|construction_owner|建设项目总投资额
sthjfj|discharge_permit||未取得排污许可证排放污染物|排污许可管理条例|第三十三条|第（一）项|FTX|a|200000|1000000|g|polluter|
zrzyj|land_illegal_transfer||买卖或者以其他形式非法转让土地|中华人民共和国土地管理法|第七十四条||GPF|m|0.1|0.5|g|land_party|违法所得
zrzyj|mining_unlicensed||未取得采矿许可证擅自采矿|中华人民共和国矿产资源法|第三十九条|第一款|GPF|m|0|0.5|g|mining|违法所得
zrzyj|planning_permit||未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设|中华人民共和国城乡规划法|第六十四条||PF|m|0.05|0.1|b|construction_owner|建设工程造价
zrzyj|temporary_building||未经批准进行临时建设|中华人民共和国城乡规划法|第六十六条|第（一）项|F|m|0|1|m|construction_owner|临时建设工程造价
zrzyj|temporary_overdue||临时建筑物、构筑物超过批准期限不拆除|中华人民共和国城乡规划法|第六十六条|第（三）项|F|m|0|1|m|construction_owner|临时建设工程造价
zjj|no_construction_permit|建设单位|未取得施工许可证或者开工报告未经批准擅自施工|建设工程质量管理条例|第五十七条||F|m|0.01|0.02|b|construction_owner|工程合同价款
zjj|no_completion_acceptance|建设单位|未组织竣工验收擅自交付使用|建设工程质量管理条例|第五十八条|第（一）项|F|m|0.02|0.04||construction_owner|工程合同价款
zjj|below_cost_bidding|建设单位|迫使承包方以低于成本的价格竞标|建设工程质量管理条例|第五十六条|第（一）项|F|a|200000|500000||construction_owner|
zjj|cut_corners|施工单位|在施工中偷工减料，使用不合格的建筑材料、建筑构配件和设备|建设工程质量管理条例|第六十四条||FTLR|m|0.02|0.04|g|construction_contractor|工程合同价款
zjj|material_untested|施工单位|未对建筑材料、建筑构配件、设备和商品混凝土进行检验|建设工程质量管理条例|第六十五条||FTLR|a|100000|200000||construction_contractor|
zjj|site_dust|施工单位|施工工地未设置硬质围挡，或者未采取覆盖、洒水抑尘等有效防尘降尘措施|中华人民共和国大气污染防治法|第一百一十五条|第一款第（一）项|FT|a|10000|100000|mbp|construction_contractor|
zjj|sewage_unpermitted|排水户|未取得污水排入排水管网许可证向城镇排水设施排放污水|城镇排水与污水处理条例|第五十条|第一款|F|a|0|500000||polluter|
cgj|outdoor_bbq||在当地人民政府禁止的区域内露天烧烤食品或者为露天烧烤食品提供场地|中华人民共和国大气污染防治法|第一百一十八条|第三款|GPF|a|500|20000|mb|urban|
cgj|cooking_fume|餐饮服务业经营者|未安装油烟净化设施、不正常使用油烟净化设施或者未采取其他油烟净化措施，超过排放标准排放油烟|中华人民共和国大气污染防治法|第一百一十八条|第一款|FT|a|5000|50000|mb|catering|
cgj|road_occupation_terms||未按照批准的位置、面积、期限占用或者挖掘城市道路|城市道路管理条例|第四十二条|第（六）项|F|a|0|20000|mb|urban|
cgj|road_site_signs||未在城市道路施工现场设置明显标志和安全防围设施|城市道路管理条例|第四十二条|第（二）项|F|a|0|20000|m|urban|
cgj|construction_waste_spill|处置建筑垃圾的单位|在运输建筑垃圾过程中沿途丢弃、遗撒建筑垃圾|城市建筑垃圾管理规定|第二十三条||WF|a|5000|50000|b|waste_transport|
cgj|construction_waste_dump|单位|随意倾倒、抛撒或者堆放建筑垃圾|城市建筑垃圾管理规定|第二十六条||WF|a|5000|50000|b|urban_unit|
cgj|construction_waste_unapproved|施工单位|未经核准擅自处置建筑垃圾|城市建筑垃圾管理规定|第二十五条|第（一）项|WF|a|10000|100000||construction_contractor|
cgj|construction_waste_mixed|单位|将建筑垃圾混入生活垃圾|城市建筑垃圾管理规定|第二十条|第（一）项|WF|a|0|3000|m|urban_unit|
yjglj|safety_training|生产经营单位|未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训|中华人民共和国安全生产法|第九十七条|第（三）项|FT|a|0|100000|mbp|safety|
yjglj|safety_staff|生产经营单位|未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师|中华人民共和国安全生产法|第九十七条|第（一）项|FT|a|0|100000|m|safety|
yjglj|safety_training_records|生产经营单位|未如实记录安全生产教育和培训情况|中华人民共和国安全生产法|第九十七条|第（四）项|FT|a|0|100000|m|safety|
yjglj|emergency_plan|生产经营单位|未按照规定制定生产安全事故应急救援预案或者未定期组织演练|中华人民共和国安全生产法|第九十七条|第（六）项|FT|a|0|100000|mb|safety|
yjglj|special_operator|生产经营单位|特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业|中华人民共和国安全生产法|第九十七条|第（七）项|FT|a|0|100000||safety|
yjglj|warning_signs|生产经营单位|未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志|中华人民共和国安全生产法|第九十九条|第（一）项|FT|a|0|50000|mb|safety|
yjglj|equipment_maintenance|生产经营单位|未对安全设备进行经常性维护、保养和定期检测|中华人民共和国安全生产法|第九十九条|第（三）项|FT|a|0|50000|m|safety|
yjglj|protective_equipment|生产经营单位|未为从业人员提供符合国家标准或者行业标准的劳动防护用品|中华人民共和国安全生产法|第九十九条|第（五）项|FT|a|0|50000|m|safety|
yjglj|hazard_not_eliminated|生产经营单位|未采取措施消除事故隐患|中华人民共和国安全生产法|第一百零二条||FT|a|0|50000|b|safety|
yjglj|evacuation_exit|生产经营单位|生产经营场所和员工宿舍未设有符合紧急疏散需要、标志明显、保持畅通的出口、疏散通道|中华人民共和国安全生产法|第一百零五条|第（二）项|FT|a|0|50000|m|safety|
yjglj|hazchem_unlicensed||未取得危险化学品经营许可证从事危险化学品经营|危险化学品安全管理条例|第七十七条|第三款|GPF|a|100000|200000|g||
yjglj|fireworks_unlicensed||未经许可经营烟花爆竹制品|烟花爆竹安全管理条例|第三十六条|第一款|GPF|a|20000|100000|b|fireworks|
nyncj|pesticide_unlicensed||未取得农药经营许可证经营农药|农药管理条例|第五十五条|第一款第（一）项|GPF|a|5000|50000|bp|agri_input|
nyncj|pesticide_inferior|农药经营者|经营劣质农药|农药管理条例|第五十六条||GPFR|a|2000|20000||agri_pesticide|
nyncj|pesticide_ledger|农药经营者|不执行农药采购台账、销售台账制度|农药管理条例|第五十八条|第一款第（一）项|FR|a|2000|20000|mb|agri_pesticide|
nyncj|seed_unlicensed||未取得种子生产经营许可证生产经营种子|中华人民共和国种子法|第七十七条|第一款第（一）项|GPFR|a|3000|30000|b|agri_input|
nyncj|seed_fake||生产经营假种子|中华人民共和国种子法|第七十五条|第一款|GPFR|a|20000|200000|g|agri_input|
nyncj|seed_package||销售的种子应当包装而没有包装|中华人民共和国种子法|第八十条|第（一）项|F|a|2000|20000|m|agri_input|
nyncj|vet_drug_unlicensed||无兽药经营许可证经营兽药|兽药管理条例|第五十六条|第一款|GPF|m|2|5|g|agri_input|货值金额
nyncj|electric_fishing||使用炸鱼、毒鱼、电鱼等破坏渔业资源方法进行捕捞|中华人民共和国渔业法|第三十八条|第一款|GPF|a|0|50000|bd|person_unit|
nyncj|homestead_illegal|农村村民|未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅|中华人民共和国土地管理法|第七十八条|第一款|O|-|||d||
wsjkj|unlicensed_practice||未取得医疗机构执业许可证擅自执业|中华人民共和国基本医疗卫生与健康促进法|第九十九条|第一款|GPF|m|5|20|g|medical|违法所得
wsjkj|non_physician||非医师行医|中华人民共和国医师法|第五十九条||GPF|m|2|10|g||违法所得
wsjkj|public_place_permit|公共场所经营者|未依法取得公共场所卫生许可证擅自营业|公共场所卫生管理条例实施细则|第三十五条|第一款|WF|a|500|5000|mbp|public_place|
wsjkj|public_place_testing|公共场所经营者|未按照规定对公共场所的空气、微小气候、水质、采光、照明、噪声、顾客用品用具等进行卫生检测|公共场所卫生管理条例实施细则|第三十六条|第（一）项|WFTR|a|0|2000|mb|public_place|
wsjkj|public_place_disinfection|公共场所经营者|未按照规定对顾客用品用具进行清洗、消毒、保洁，或者重复使用一次性用品用具|公共场所卫生管理条例实施细则|第三十六条|第（二）项|WFTR|a|0|2000|m|public_place|
wsjkj|public_place_health_cert|公共场所经营者|安排未获得有效健康合格证明的从业人员从事直接为顾客服务工作|公共场所卫生管理条例实施细则|第三十八条||WF|a|500|5000|mb|public_place|
whlyj|cafe_minors|互联网上网服务营业场所经营单位|接纳未成年人进入营业场所|互联网上网服务营业场所管理条例|第三十一条|第（二）项|WFTR|a|0|15000|b||
whlyj|cafe_hours|互联网上网服务营业场所经营单位|在规定的营业时间以外营业|互联网上网服务营业场所管理条例|第三十一条|第（一）项|WFTR|a|0|15000|m||
whlyj|cafe_signs|互联网上网服务营业场所经营单位|未悬挂《网络文化经营许可证》或者未成年人禁入标志|互联网上网服务营业场所管理条例|第三十一条|第（五）项|WFTR|a|0|15000|mb||
whlyj|cafe_unlicensed||擅自从事互联网上网服务经营活动|互联网上网服务营业场所管理条例|第二十七条||GPF|a|10000|50000||cafe_party|
whlyj|travel_agency_unlicensed||未经许可经营旅行社业务|中华人民共和国旅游法|第九十五条|第一款|GF|a|10000|100000|b|travel_party|
whlyj|tour_leader|旅行社|未按照规定为出境或者入境团队旅游安排领队或者导游全程陪同|中华人民共和国旅游法|第九十六条|第（一）项|GF|a|5000|50000|m|travel_agency|
whlyj|unlicensed_guide_used|旅行社|安排未取得导游证的人员提供导游服务|中华人民共和国旅游法|第九十六条|第（二）项|GF|a|5000|50000|m|travel_agency|
whlyj|guide_unlicensed||未取得导游证从事导游活动|中华人民共和国旅游法|第一百零二条|第一款|GF|a|1000|10000|m||
gaj|beating||殴打他人或者故意伤害他人身体|中华人民共和国治安管理处罚法|第四十三条|第一款|DF|a|200|500|b||
gaj|theft||盗窃、诈骗、哄抢、抢夺、敲诈勒索或者故意损毁公私财物|中华人民共和国治安管理处罚法|第四十九条||DF|a|0|500|||
gaj|gambling||以营利为目的为赌博提供条件或者参与赌博赌资较大|中华人民共和国治安管理处罚法|第七十条||DF|a|0|500|||
gaj|provocation||寻衅滋事|中华人民共和国治安管理处罚法|第二十六条||DF|a|0|500|||
gaj|disturb_unit||扰乱机关、团体、企业、事业单位秩序|中华人民共和国治安管理处罚法|第二十三条|第一款第（一）项|WFD|a|0|200|m||
gaj|insult_threat||以写恐吓信或者其他方法威胁他人人身安全、公然侮辱他人或者捏造事实诽谤他人|中华人民共和国治安管理处罚法|第四十二条||DF|a|0|500|||
gaj|drug_use||吸食、注射毒品|中华人民共和国治安管理处罚法|第七十二条|第（三）项|DF|a|0|2000|||
gaj|hotel_registration|旅馆业的工作人员|对住宿的旅客不按规定登记姓名、身份证件种类和号码|中华人民共和国治安管理处罚法|第五十六条|第一款|F|a|200|500|m||
gaj|controlled_knife||非法携带枪支、弹药或者弩、匕首等国家规定的管制器具|中华人民共和国治安管理处罚法|第三十二条|第一款|DF|a|0|500|||
gaj|drunk_driving||饮酒后驾驶机动车|中华人民共和国道路交通安全法|第九十一条|第一款|SF|a|1000|2000|b||
gaj|no_licence_driving||未取得机动车驾驶证、机动车驾驶证被吊销或者暂扣期间驾驶机动车|中华人民共和国道路交通安全法|第九十九条|第一款第（一）项|FD|a|200|2000|||
gaj|truck_overload|货运机动车|超过核定载质量|中华人民共和国道路交通安全法|第九十二条|第二款|F|a|200|500|m||
gaj|illegal_parking|机动车驾驶人|违反机动车停放、临时停车规定，不在现场或者拒绝立即驶离，妨碍其他车辆、行人通行|中华人民共和国道路交通安全法|第九十三条|第二款|F|a|20|200|m||
gaj|id_card_misuse||冒用他人居民身份证或者使用骗领的居民身份证|中华人民共和国居民身份证法|第十七条|第一款第（一）项|GFD|a|200|1000|||
gaj|signal_violation|机动车驾驶人|不按交通信号灯指示通行|中华人民共和国道路交通安全法|第九十条||WF|a|20|200|m||
gaj|phone_driving|机动车驾驶人|驾驶时拨打接听手持电话|中华人民共和国道路交通安全法|第九十条||WF|a|20|200|m||
gaj|seat_belt|机动车驾驶人|未按规定使用安全带|中华人民共和国道路交通安全法|第九十条||WF|a|20|200|m||
gaj|wrong_way|机动车驾驶人|逆向行驶|中华人民共和国道路交通安全法|第九十条||WF|a|20|200|m||
gaj|pedestrian_yield|机动车驾驶人|行经人行横道未按规定减速、停车、避让行人|中华人民共和国道路交通安全法|第九十条||WF|a|20|200|m||
gaj|illegal_overtake|机动车驾驶人|违反规定超车|中华人民共和国道路交通安全法|第九十条||WF|a|20|200|m||
gaj|nonmotor_rules|非机动车驾驶人|违反道路交通安全法律、法规关于道路通行的规定|中华人民共和国道路交通安全法|第八十九条||WF|a|5|50|m|nonmotor|
slj|water_unpermitted||未经批准擅自取水|中华人民共和国水法|第六十九条|第（一）项|FR|a|20000|100000|b|water_party|
slj|water_permit_terms||未依照批准的取水许可规定条件取水|中华人民共和国水法|第六十九条|第（二）项|FR|a|20000|100000|m|water_party|
slj|river_obstruction||在河道管理范围内建设妨碍行洪的建筑物、构筑物，或者从事影响河势稳定、危害河岸堤防安全和其他妨碍河道行洪的活动|中华人民共和国水法|第六十五条|第一款|F|a|10000|100000|d|water_party|
slj|water_fee||拒不缴纳、拖延缴纳或者拖欠水资源费|中华人民共和国水法|第七十条||F|m|1|5|m|water_party|应缴或者补缴水资源费
slj|soil_plan_missing||依法应当编制水土保持方案的生产建设项目，未编制水土保持方案或者编制的水土保持方案未经批准而开工建设|中华人民共和国水土保持法|第五十三条|第（一）项|F|a|50000|500000||construction_owner|
slj|soil_fee||拒不缴纳水土保持补偿费|中华人民共和国水土保持法|第五十七条||F|m|0|3|m|construction_owner|应缴水土保持补偿费
lyj|illegal_logging||盗伐林木|中华人民共和国森林法|第七十六条|第一款|F|m|5|10|g|forest_party|盗伐林木价值
lyj|excess_logging||滥伐林木|中华人民共和国森林法|第七十六条|第二款|F|m|3|5|bd|forest_party|滥伐林木价值
lyj|forest_land_use||未经县级以上人民政府林业主管部门审核同意，擅自改变林地用途|中华人民共和国森林法|第七十三条|第一款|F|m|0|3||forest_party|恢复植被和林业生产条件所需费用
lyj|forest_damage||在林地上进行开垦、采石、采砂、采土或者其他活动，造成林木毁坏|中华人民共和国森林法|第七十四条|第一款|F|m|0|5|d|forest_party|毁坏林木价值
lyj|illegal_timber_trade||收购、加工、运输明知是盗伐、滥伐等非法来源的林木|中华人民共和国森林法|第七十八条||PF|m|0|3|g|timber|违法收购、加工、运输林木价款
lyj|wildfire_use|个人|在森林防火期内未经批准擅自在森林防火区内野外用火|森林防火条例|第五十条||WF|a|200|3000|mbd||
lyj|wildfire_use_unit|单位|在森林防火期内未经批准擅自在森林防火区内野外用火|森林防火条例|第五十条||WF|a|10000|50000|m||
rsj|insurance_registration|用人单位|不办理社会保险登记|中华人民共和国社会保险法|第八十四条||F|m|1|3|mb|employer|应缴社会保险费数额
rsj|insurance_arrears|用人单位|未按时足额缴纳社会保险费，经责令限期缴纳逾期仍不缴纳|中华人民共和国社会保险法|第八十六条||F|m|1|3||employer|欠缴数额
rsj|insurance_fraud||以欺诈、伪造证明材料或者其他手段骗取社会保险待遇|中华人民共和国社会保险法|第八十八条||F|m|2|5|g||骗取金额
rsj|unlicensed_agency||未经许可擅自从事职业中介活动|中华人民共和国就业促进法|第六十四条||GFX|a|10000|50000|||
ybj|split_hospitalization|定点医药机构|分解住院、挂床住院，造成医疗保障基金损失|医疗保障基金使用监督管理条例|第三十八条|第（一）项|F|m|1|2|b|medical_insurance|造成损失金额
ybj|overcharge|定点医药机构|重复收费、超标准收费、分解项目收费，造成医疗保障基金损失|医疗保障基金使用监督管理条例|第三十八条|第（三）项|F|m|1|2|m|medical_insurance|造成损失金额
ybj|internal_control|定点医药机构|未建立医疗保障基金使用内部管理制度，或者没有专门机构或者人员负责医疗保障基金使用管理工作|医疗保障基金使用监督管理条例|第三十九条|第（一）项|F|a|10000|50000|mb|medical_insurance|
ybj|fund_fraud_institution|定点医药机构|以骗取医疗保障基金为目的，虚构医药服务项目等，造成医疗保障基金损失|医疗保障基金使用监督管理条例|第四十条|第一款|F|m|2|5|g|medical_insurance|骗取金额
ybj|fund_fraud_person|个人|以骗取医疗保障基金为目的，使用他人医疗保障凭证冒名就医、购药|医疗保障基金使用监督管理条例|第四十一条|第一款|F|m|2|5|g||骗取金额
swj|scrap_vehicle_unlicensed||未取得资质认定擅自从事报废机动车回收活动|报废机动车回收管理办法|第十九条||GPF|a|50000|100000||scrap|
mzj|funeral_equipment||制造、销售不符合国家技术标准的殡葬设备|殡葬管理条例|第二十二条|第一款|F|m|1|3||funeral|制造、销售金额
mzj|superstitious_goods||制造、销售封建迷信殡葬用品|殡葬管理条例|第二十二条|第二款|PF|m|1|3|m|funeral|制造、销售金额
rfb|no_shelter|建设单位|城市新建民用建筑违反国家有关规定不修建战时可用于防空的地下室|中华人民共和国人民防空法|第四十八条||WF|a|0|100000|m|shelter_builder|
rfb|shelter_encroach|单位|侵占人民防空工程|中华人民共和国人民防空法|第四十九条|第（一）项|WF|a|10000|50000|m|civil_defense|
gjj-dl|hpf_registration|单位|不办理住房公积金缴存登记或者不为本单位职工办理住房公积金账户设立手续|住房公积金管理条例|第三十七条||F|a|10000|50000|m|employer|
jyj|illegal_school||违反国家有关规定举办学校或者其他教育机构|中华人民共和国教育法|第七十五条||GO|-||||school|
gxj|obsolete_equipment||使用国家明令淘汰的用能设备或者生产工艺|中华人民共和国节约能源法|第七十一条||PTX|-||||industry|
fgj|bid_restriction|招标人|以不合理的条件限制或者排斥潜在投标人，对潜在投标人实行歧视待遇|中华人民共和国招标投标法|第五十一条||F|a|10000|50000|||
fgj|bid_disclosure|依法必须进行招标的项目的招标人|向他人透露已获取招标文件的潜在投标人的名称、数量或者可能影响公平竞争的有关招标投标的其他情况，或者泄露标底|中华人民共和国招标投标法|第五十二条|第一款|WF|a|10000|100000|||
fgj|agency_leak|招标代理机构|泄露应当保密的与招标投标活动有关的情况和资料|中华人民共和国招标投标法|第五十条|第一款|GFO|a|50000|250000|||
czj|private_funds||违反财务管理的规定，私存私放财政资金或者其他公款|财政违法行为处罚处分条例|第十七条||GF|a|3000|50000|||
"""

# Where the statute has a second fine form, or computes the base in a way worth knowing.
BASIS_NOTES: dict[str, str] = {
    "food_unlicensed": "违法生产经营的食品货值金额不足一万元的，并处五万元以上十万元以下罚款；"
    "货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。",
    "food_contaminated": "货值金额不足一万元的，并处五万元以上十万元以下罚款；"
    "货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。",
    "food_expired": "货值金额不足一万元的，并处五万元以上十万元以下罚款；"
    "货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。",
    "food_no_label": "货值金额不足一万元的，并处五千元以上五万元以下罚款；"
    "货值金额一万元以上的，并处货值金额五倍以上十倍以下罚款。",
    "ad_false": "广告费用无法计算或者明显偏低的，处二十万元以上一百万元以下的罚款。",
    "consumer_rights": "没有违法所得的，处以五十万元以下的罚款。",
    "drug_unlicensed": "货值金额不足十万元的，按十万元计算。",
    "passenger_unlicensed": "没有违法所得或者违法所得较少的，依照本条规定的罚款数额处罚。",
    "land_illegal_transfer": "罚款额依照《中华人民共和国土地管理法实施条例》第五十四条确定。",
    "mining_unlicensed": "罚款额依照《矿产资源法实施细则》第四十二条确定。",
    "pesticide_unlicensed": "货值金额一万元以上的，并处货值金额五倍以上十倍以下罚款。",
    "pesticide_inferior": "货值金额一万元以上的，并处货值金额二倍以上五倍以下罚款。",
    "seed_unlicensed": "货值金额一万元以上的，并处货值金额三倍以上五倍以下罚款。",
    "seed_fake": "货值金额二万元以上的，并处货值金额十倍以上二十倍以下罚款。",
    "unlicensed_practice": "违法所得不足一万元的，按一万元计算。",
    "non_physician": "违法所得不足一万元的，按一万元计算。",
    "cafe_unlicensed": "违法经营额一万元以上的，并处违法经营额五倍以上十倍以下的罚款。",
    "travel_agency_unlicensed": "违法所得十万元以上的，并处违法所得一倍以上五倍以下罚款。",
    "scrap_vehicle_unlicensed": "违法所得在五万元以上的，并处违法所得二倍以上五倍以下的罚款。",
    "confusion": "违法经营额五万元以上的，可以并处违法经营额五倍以下的罚款。",
    "trademark": "违法经营额五万元以上的，可以处违法经营额五倍以下的罚款。",
    "overload": "具体数额依照《超限运输车辆行驶公路管理规定》确定。",
}

# --- Templates of generated items ----------------------------------------------------------
#
# org|category|template|law|article|paragraph|group   ({s} is a party of ``group``)
_TEMPLATES = """
scjgj|inspection|对{s}食品安全状况的监督检查|中华人民共和国食品安全法|第一百一十条||food
scjgj|inspection|对{s}产品质量的监督检查|中华人民共和国产品质量法|第十八条||product
scjgj|inspection|对{s}特种设备安全的监督检查|中华人民共和国特种设备安全法|第六十一条||special_eq
scjgj|inspection|对{s}药品经营使用活动的监督检查|中华人民共和国药品管理法|第九十九条||drug
scjgj|inspection|对{s}价格行为的监督检查|中华人民共和国价格法|第三十四条||price
scjgj|inspection|对{s}登记事项的监督检查|中华人民共和国市场主体登记管理条例|第三十八条||market
scjgj|inspection|对{s}广告发布活动的监督检查|中华人民共和国广告法|第四十九条||ad
scjgj|inspection|对{s}强制检定计量器具使用情况的监督检查|中华人民共和国计量法|第九条||metrology
scjgj|coercion|查封、扣押{s}不符合食品安全标准的食品及有关物品|中华人民共和国食品安全法|第一百一十条|第（四）项|food
scjgj|coercion|查封、扣押{s}涉嫌不符合保障人体健康和人身、财产安全标准的产品|中华人民共和国产品质量法|第十八条|第一款第（四）项|product
scjgj|coercion|查封、扣押{s}存在严重事故隐患的特种设备|中华人民共和国特种设备安全法|第六十一条|第一款第（三）项|special_eq
scjgj|coercion|查封、扣押{s}与涉嫌违法广告直接相关的广告物品、经营工具、设备等财物|中华人民共和国广告法|第四十九条|第一款|ad
scjgj|other|对举报{s}食品安全违法行为的奖励|中华人民共和国食品安全法|第一百一十五条||food
scjgj|other|对{s}侵害消费者权益投诉的处理|中华人民共和国消费者权益保护法|第四十六条||market
scjgj|other|对{s}产品质量问题申诉的处理|中华人民共和国产品质量法|第二十二条||product
jtysj|inspection|对{s}涉路活动的监督检查|中华人民共和国公路法|第七十一条|第一款|road_party
jtysj|inspection|对{s}装载情况的超限检测|中华人民共和国公路法|第七十一条|第一款|vehicle
jtysj|inspection|对{s}经营活动的监督检查|中华人民共和国道路运输条例|第五十九条||transport
jtysj|coercion|对{s}采取强制拖离或者扣留车辆措施|公路安全保护条例|第六十七条||vehicle
jtysj|coercion|暂扣{s}无车辆营运证又无法当场提供其他有效证明的车辆|中华人民共和国道路运输条例|第六十一条||transport
jtysj|other|对{s}损坏公路的路产损失赔（补）偿|中华人民共和国公路法|第八十五条|第一款|road_party
sthjfj|inspection|对{s}排放污染物情况的现场检查|中华人民共和国环境保护法|第二十四条||polluter
sthjfj|inspection|对{s}大气污染物排放的监督检查|中华人民共和国大气污染防治法|第二十九条||polluter
sthjfj|inspection|对{s}水污染物排放的监督检查|中华人民共和国水污染防治法|第三十条||polluter
sthjfj|coercion|查封、扣押{s}造成污染物排放的设施、设备|中华人民共和国环境保护法|第二十五条||polluter
sthjfj|coercion|查封、扣押{s}违法排放大气污染物的有关设施、设备、物品|中华人民共和国大气污染防治法|第三十条||polluter
sthjfj|other|对{s}突发环境事件的调查处理|中华人民共和国环境保护法|第四十七条||polluter
sthjfj|other|对举报{s}污染环境行为的处理|中华人民共和国环境保护法|第五十七条||polluter
zrzyj|inspection|对{s}土地利用情况的监督检查|中华人民共和国土地管理法|第六十八条||land_party
zrzyj|inspection|对{s}执行城乡规划情况的监督检查|中华人民共和国城乡规划法|第五十三条|第一款|construction_owner
zrzyj|inspection|对{s}矿产资源开采活动的监督检查|中华人民共和国矿产资源法|第十一条||mining
zrzyj|coercion|查封{s}违法建设的施工现场|中华人民共和国城乡规划法|第六十八条||construction_owner
zrzyj|coercion|强制拆除{s}逾期不拆除的违法建设|中华人民共和国城乡规划法|第六十八条||construction_owner
zrzyj|other|{s}土地所有权和使用权争议的调查处理|中华人民共和国土地管理法|第十四条||land_party
zjj|inspection|对{s}工程质量的监督检查|建设工程质量管理条例|第四十八条||construction_owner
zjj|inspection|对{s}施工质量的监督检查|建设工程质量管理条例|第四十八条||construction_contractor
zjj|inspection|对{s}施工扬尘污染防治的监督检查|中华人民共和国大气污染防治法|第二十九条||construction_contractor
zjj|coercion|查封、扣押{s}造成扬尘污染的设施、设备、物品|中华人民共和国大气污染防治法|第三十条||construction_contractor
zjj|other|对{s}房屋建筑和市政基础设施工程竣工验收的备案|建设工程质量管理条例|第四十九条|第一款|construction_owner
zjj|other|对{s}建设工程质量投诉的处理|建设工程质量管理条例|第五十三条||construction_owner
cgj|inspection|对{s}市容环境卫生的监督检查|城市市容和环境卫生管理条例|第四条||urban
cgj|inspection|对{s}餐饮油烟排放的监督检查|中华人民共和国大气污染防治法|第二十九条||catering
cgj|inspection|对{s}建筑垃圾处置活动的监督检查|城市建筑垃圾管理规定|第四条||waste_transport
cgj|coercion|查封、扣押{s}违法排放油烟的设施、设备|中华人民共和国大气污染防治法|第三十条||catering
cgj|other|对{s}市容环境卫生违法行为投诉举报的处理|城市市容和环境卫生管理条例|第四条||urban
yjglj|inspection|对{s}安全生产状况的监督检查|中华人民共和国安全生产法|第六十五条||safety
yjglj|inspection|对{s}危险化学品安全的监督检查|危险化学品安全管理条例|第七条||hazchem
yjglj|inspection|对{s}烟花爆竹经营安全的监督检查|烟花爆竹安全管理条例|第四条||fireworks
yjglj|coercion|查封、扣押{s}不符合保障安全生产标准的设施、设备、器材|中华人民共和国安全生产法|第六十五条|第一款第（四）项|safety
yjglj|coercion|对{s}存在重大事故隐患拒不执行停产停业决定的停止供电|中华人民共和国安全生产法|第七十条|第一款|safety
yjglj|other|对举报{s}安全生产违法行为的奖励|中华人民共和国安全生产法|第七十六条||safety
yjglj|other|{s}生产安全事故的调查处理|中华人民共和国安全生产法|第八十六条||safety
nyncj|inspection|对{s}农药经营活动的监督检查|农药管理条例|第四十一条||agri_input
nyncj|inspection|对{s}种子生产经营活动的监督检查|中华人民共和国种子法|第五十条||agri_input
nyncj|inspection|对{s}兽药经营使用的监督检查|兽药管理条例|第四十五条||livestock
nyncj|inspection|对{s}渔业生产活动的监督检查|中华人民共和国渔业法|第六条||person_unit
nyncj|coercion|查封、扣押{s}违法生产经营的种子|中华人民共和国种子法|第五十条||agri_input
nyncj|coercion|查封、扣押{s}违法经营的农药|农药管理条例|第四十一条||agri_input
nyncj|coercion|查封、扣押{s}有证据证明可能是假、劣兽药的兽药|兽药管理条例|第四十五条||livestock
wsjkj|inspection|对{s}传染病防治工作的监督检查|中华人民共和国传染病防治法|第五十三条||medical
wsjkj|inspection|对{s}卫生条件和传染病预防、控制措施的监督检查|中华人民共和国传染病防治法|第五十三条||public_place
wsjkj|other|{s}医疗纠纷的行政调解|医疗纠纷预防和处理条例|第二十二条||medical
whlyj|inspection|对{s}经营活动的监督检查|中华人民共和国旅游法|第八十五条|第一款|travel_agency
whlyj|coercion|查封{s}擅自从事互联网上网服务经营活动的场所|互联网上网服务营业场所管理条例|第二十七条||cafe_party
whlyj|coercion|扣押{s}从事违法经营活动的专用工具、设备|互联网上网服务营业场所管理条例|第二十七条||cafe_party
whlyj|other|对{s}旅游投诉的受理|中华人民共和国旅游法|第九十一条||travel_agency
gaj|inspection|对{s}的治安检查|中华人民共和国治安管理处罚法|第八十七条|第一款|police_place
gaj|inspection|对{s}的日常消防监督检查|中华人民共和国消防法|第五十三条||police_place
gaj|coercion|扣留{s}|中华人民共和国道路交通安全法|第九十五条|第一款|vehicle_check
slj|inspection|对{s}水事活动的监督检查|中华人民共和国水法|第六十条||water_party
slj|inspection|对{s}水土保持情况的监督检查|中华人民共和国水土保持法|第四十四条||construction_owner
slj|coercion|强行拆除{s}在河道管理范围内妨碍行洪的建筑物、构筑物|中华人民共和国水法|第六十五条|第一款|water_party
slj|coercion|查封、扣押{s}实施违法行为的工具及施工机械、设备|中华人民共和国水土保持法|第四十四条||construction_owner
slj|other|{s}水事纠纷的调解处理|中华人民共和国水法|第五十七条||water_party
lyj|inspection|对{s}林木采伐、林地使用情况的监督检查|中华人民共和国森林法|第六十七条||forest_party
lyj|coercion|查封、扣押{s}有证据证明来源非法的林木以及从事破坏森林资源活动的工具、设备|中华人民共和国森林法|第六十七条|第一款|forest_party
rsj|inspection|对{s}遵守劳动保障法律、法规情况的监督检查|劳动保障监察条例|第十一条||employer
rsj|inspection|对{s}社会保险费缴纳情况的监督检查|中华人民共和国社会保险法|第七十九条||employer
rsj|other|对{s}劳动保障违法行为举报投诉的处理|劳动保障监察条例|第九条||employer
jyj|inspection|对{s}办学行为的督导检查|中华人民共和国义务教育法|第八条||school_inspect
mzj|inspection|对{s}的年度检查|社会团体登记管理条例|第二十四条||social_org
ybj|inspection|对{s}使用医疗保障基金情况的监督检查|医疗保障基金使用监督管理条例|第二十七条||medical_insurance
ybj|coercion|对{s}可能被转移、隐匿或者灭失的资料予以封存|医疗保障基金使用监督管理条例|第二十七条||medical_insurance
ybj|other|对举报{s}骗取医疗保障基金行为的奖励|医疗保障基金使用监督管理条例|第二十五条||medical_insurance
fgj|inspection|对{s}招标投标活动的监督检查|中华人民共和国招标投标法|第七条||bid_party
fgj|inspection|对{s}节能情况的监督检查|中华人民共和国节约能源法|第十二条||energy
gxj|inspection|对{s}的节能监察|中华人民共和国节约能源法|第十二条||industry
czj|inspection|对{s}政府采购活动的监督检查|中华人民共和国政府采购法|第五十九条||procurement
sbj|inspection|对{s}参加社会保险、缴纳社会保险费情况的稽核|中华人民共和国社会保险法|第八条||employer
gjj-dl|inspection|对{s}住房公积金缴存情况的检查|住房公积金管理条例|第三十七条||employer
"""

# Items without a party: org|category|name|law|article|paragraph
_SINGLES = """
jtysj|other|对超限运输车辆行驶公路的卸载、转运|公路安全保护条例|第六十六条|
wsjkj|coercion|封闭被传染病病原体污染的公共饮用水源|中华人民共和国传染病防治法|第五十五条|
wsjkj|coercion|封存被传染病病原体污染的食品以及相关物品|中华人民共和国传染病防治法|第五十五条|
wsjkj|coercion|暂停销售被传染病病原体污染的食品以及相关物品|中华人民共和国传染病防治法|第五十五条|
whlyj|inspection|对互联网上网服务营业场所经营活动的监督检查|互联网上网服务营业场所管理条例|第四条|
gaj|coercion|扣押与治安案件有关的需要作为证据的物品|中华人民共和国治安管理处罚法|第八十九条|第一款
gaj|coercion|先予扣留机动车驾驶证|中华人民共和国道路交通安全法|第一百一十条|第一款
gaj|coercion|对醉酒的机动车驾驶人约束至酒醒|中华人民共和国道路交通安全法|第九十一条|第二款
gaj|coercion|对醉酒的人采取保护性措施约束至酒醒|中华人民共和国治安管理处罚法|第十五条|第二款
gaj|coercion|拖移违法停放妨碍交通的机动车|中华人民共和国道路交通安全法|第九十三条|第二款
gaj|other|出生登记|中华人民共和国户口登记条例|第七条|
gaj|other|死亡登记|中华人民共和国户口登记条例|第八条|
gaj|other|迁出登记|中华人民共和国户口登记条例|第十条|
gaj|other|迁入登记|中华人民共和国户口登记条例|第十三条|
gaj|other|户口登记事项变更更正|中华人民共和国户口登记条例|第十七条|
gaj|other|居民身份证申领、换领、补领|中华人民共和国居民身份证法|第八条|
gaj|other|道路交通事故认定|中华人民共和国道路交通安全法|第七十三条|
lyj|other|单位之间林木、林地所有权和使用权争议的处理|中华人民共和国森林法|第二十二条|
jyj|other|义务教育阶段适龄儿童、少年入学安排|中华人民共和国义务教育法|第十二条|
mzj|other|养老机构备案|中华人民共和国老年人权益保障法|第四十三条|
mzj|other|最低生活保障审批|社会救助暂行条例|第十一条|
mzj|other|特困人员供养审批|社会救助暂行条例|第十六条|
mzj|other|结婚登记|婚姻登记条例|第四条|
mzj|other|离婚登记|婚姻登记条例|第十条|
mzj|other|补领婚姻登记证|婚姻登记条例|第十七条|
fgj|other|企业投资项目备案|企业投资项目核准和备案管理条例|第三条|第二款
czj|other|政府采购投诉的处理|中华人民共和国政府采购法|第五十六条|
sfj|other|法律援助申请的审查决定|中华人民共和国法律援助法|第四十三条|
sfj|other|对人民调解委员会调解工作的指导|中华人民共和国人民调解法|第五条|
sbj|other|社会保险登记|中华人民共和国社会保险法|第五十七条|
sbj|other|社会保险个人权益记录|中华人民共和国社会保险法|第七十四条|
sbj|other|基本养老保险待遇核定支付|中华人民共和国社会保险法|第八条|
sbj|other|社会保险关系转移接续|中华人民共和国社会保险法|第十九条|
gjj-dl|other|对逾期不缴或者少缴住房公积金的单位责令限期缴存|住房公积金管理条例|第三十八条|
gjj-dl|coercion|申请人民法院强制执行逾期仍不缴存的住房公积金|住房公积金管理条例|第三十八条|
"""

# Licensing items: org|name with {p}|phases|law|article|paragraph
_LICENCES = """
scjgj|食品经营许可证{p}|核发,变更,延续,补办,注销|中华人民共和国食品安全法|第三十五条|第一款
scjgj|食品生产许可证{p}|核发,变更,延续,注销|中华人民共和国食品安全法|第三十五条|第一款
scjgj|特种设备使用登记{p}|办理,变更,注销|中华人民共和国特种设备安全法|第三十三条|
scjgj|企业{p}登记|设立,变更,注销|中华人民共和国市场主体登记管理条例|第三条|
scjgj|个体工商户{p}登记|设立,变更,注销|中华人民共和国市场主体登记管理条例|第三条|
scjgj|农民专业合作社{p}登记|设立,变更,注销|中华人民共和国市场主体登记管理条例|第三条|
scjgj|药品经营许可证（零售）{p}|核发,变更,换发,注销|中华人民共和国药品管理法|第五十一条|第一款
jtysj|道路货物运输经营许可{p}|核发,变更,注销|中华人民共和国道路运输条例|第二十四条|
jtysj|道路旅客运输经营许可{p}|核发,变更,延续,注销|中华人民共和国道路运输条例|第十条|
jtysj|涉路施工许可{p}|核发,变更|中华人民共和国公路法|第四十四条|第二款
jtysj|超限运输车辆行驶公路许可{p}|核发,变更|中华人民共和国公路法|第五十条|第一款
jtysj|出租汽车经营许可{p}|核发,变更,延续,注销|国务院对确需保留的行政审批项目设定行政许可的决定|第一百一十二项|
sthjfj|建设项目环境影响报告书{p}|审批,重新审核|中华人民共和国环境影响评价法|第二十二条|第一款
sthjfj|建设项目环境影响报告表{p}|审批,重新审核|中华人民共和国环境影响评价法|第二十二条|第一款
zrzyj|建设用地规划许可证{p}|核发,变更|中华人民共和国城乡规划法|第三十七条|
zrzyj|建设工程规划许可证{p}|核发,变更,延续|中华人民共和国城乡规划法|第四十条|
zrzyj|乡村建设规划许可证{p}|核发,变更|中华人民共和国城乡规划法|第四十一条|
zrzyj|临时建设工程规划审批{p}|审批|中华人民共和国城乡规划法|第四十四条|
zrzyj|临时用地{p}|审批|中华人民共和国土地管理法|第五十七条|
zrzyj|国有建设用地使用权划拨{p}|批准|中华人民共和国土地管理法|第五十四条|
zjj|建筑工程施工许可证{p}|核发,变更,延期|中华人民共和国建筑法|第七条|
zjj|商品房预售许可{p}|核发,变更|中华人民共和国城市房地产管理法|第四十五条|
zjj|燃气经营许可证{p}|核发,变更,延续,注销|城镇燃气管理条例|第十五条|
zjj|城镇污水排入排水管网许可证{p}|核发,变更,延续|城镇排水与污水处理条例|第二十一条|
cgj|城市道路占用、挖掘许可{p}|核发,延期|城市道路管理条例|第三十条|
cgj|城市建筑垃圾处置核准{p}|核发,变更|城市建筑垃圾管理规定|第七条|
cgj|设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品{p}|审批|城市市容和环境卫生管理条例|第十一条|
yjglj|烟花爆竹经营（零售）许可证{p}|核发,变更,延期|烟花爆竹安全管理条例|第十九条|
yjglj|危险化学品经营许可证{p}|核发,变更,延期|危险化学品安全管理条例|第三十五条|
nyncj|农药经营许可证{p}|核发,变更,延续|农药管理条例|第二十四条|
nyncj|农作物种子生产经营许可证{p}|核发,变更,延续,注销|中华人民共和国种子法|第三十一条|
nyncj|兽药经营许可证{p}|核发,变更,换发|兽药管理条例|第二十二条|
nyncj|拖拉机和联合收割机{p}登记|注册,转移,抵押,注销|中华人民共和国道路交通安全法|第一百二十一条|
nyncj|拖拉机和联合收割机驾驶证{p}|核发,换证,补证|中华人民共和国道路交通安全法|第一百二十一条|
nyncj|渔业捕捞许可证{p}|核发|中华人民共和国渔业法|第二十三条|
nyncj|生鲜乳收购站许可{p}|核发|乳品质量安全监督管理条例|第二十条|
nyncj|动物防疫条件合格证{p}|核发|中华人民共和国动物防疫法|第二十五条|
wsjkj|公共场所卫生许可证{p}|核发,变更,延续,注销|公共场所卫生管理条例|第八条|
wsjkj|医疗机构执业{p}登记|执业,变更,校验,注销|医疗机构管理条例|第十五条|
wsjkj|医师执业{p}注册|执业,变更,注销|中华人民共和国医师法|第十三条|
wsjkj|护士执业{p}注册|执业,变更,延续|护士条例|第七条|
wsjkj|饮用水供水单位卫生许可{p}|核发,延续|中华人民共和国传染病防治法|第二十九条|
wsjkj|母婴保健技术服务执业许可{p}|核发|中华人民共和国母婴保健法|第三十二条|
whlyj|娱乐场所经营许可证{p}|核发,变更,延续,注销|娱乐场所管理条例|第九条|
whlyj|营业性演出{p}|审批|营业性演出管理条例|第十三条|
gaj|旅馆业特种行业许可证{p}|核发,变更,注销|旅馆业治安管理办法|第四条|
gaj|民用爆炸物品购买许可证{p}|核发|民用爆炸物品安全管理条例|第二十一条|
gaj|烟花爆竹道路运输许可证{p}|核发|烟花爆竹安全管理条例|第二十二条|
gaj|大型群众性活动安全许可{p}|核发|大型群众性活动安全管理条例|第十一条|
gaj|机动车{p}登记|注册,变更,转让,抵押,注销|中华人民共和国道路交通安全法|第八条|
gaj|机动车驾驶证{p}|核发,换证,补证|中华人民共和国道路交通安全法|第十九条|
gaj|剧毒化学品购买许可证{p}|核发|危险化学品安全管理条例|第三十八条|
slj|取水许可{p}|审批,变更,延续,注销|中华人民共和国水法|第四十八条|
slj|河道管理范围内建设项目工程建设方案{p}|审批|中华人民共和国防洪法|第二十七条|
slj|生产建设项目水土保持方案{p}|审批|中华人民共和国水土保持法|第二十五条|
slj|河道采砂许可{p}|核发|中华人民共和国水法|第三十九条|
lyj|林木采伐许可证{p}|核发,变更|中华人民共和国森林法|第五十六条|
lyj|使用林地{p}|审核|中华人民共和国森林法|第三十七条|
lyj|林草种子生产经营许可证{p}|核发|中华人民共和国种子法|第三十一条|
lyj|森林防火期内野外用火{p}|审批|森林防火条例|第二十五条|
rsj|劳务派遣经营许可{p}|核发,变更,延续,注销|中华人民共和国劳动合同法|第五十七条|
rsj|人力资源服务许可{p}|核发|人力资源市场暂行条例|第十八条|
rsj|企业实行不定时工作制和综合计算工时工作制{p}|审批|中华人民共和国劳动法|第三十九条|
jyj|民办学校办学许可证{p}|核发,变更,注销|中华人民共和国民办教育促进法|第十二条|
jyj|教师资格{p}|认定|中华人民共和国教师法|第十三条|
jyj|校车使用许可{p}|核发|校车安全管理条例|第十四条|
mzj|社会团体{p}登记|成立,变更,注销|社会团体登记管理条例|第三条|
mzj|民办非企业单位{p}登记|成立,变更,注销|民办非企业单位登记管理暂行条例|第五条|
mzj|殡仪服务站、骨灰堂建设{p}|审批|殡葬管理条例|第八条|
fgj|企业投资项目{p}|核准|企业投资项目核准和备案管理条例|第三条|第一款
fgj|固定资产投资项目节能{p}|审查|中华人民共和国节约能源法|第十五条|
czj|代理记账{p}|许可|代理记账管理办法|第三条|
rfb|防空地下室建设{p}|审批|中华人民共和国人民防空法|第二十二条|
rfb|拆除人民防空工程{p}|审批|中华人民共和国人民防空法|第二十八条|
"""

# Each township's own items (the same ten in every township).
TOWNSHIP_ITEMS: tuple[tuple[str, str, str, str, str], ...] = (
    ("licensing", "农村村民住宅用地审批", "中华人民共和国土地管理法", "第六十二条", "第四款"),
    ("licensing", "乡村建设规划许可初审", "中华人民共和国城乡规划法", "第四十一条", "第一款"),
    (
        "inspection",
        "对本行政区域内生产经营单位安全生产状况的监督检查",
        "中华人民共和国安全生产法",
        "第九条",
        "第二款",
    ),
    (
        "inspection",
        "对乡、村庄规划区内建设活动的巡查",
        "中华人民共和国城乡规划法",
        "第六十五条",
        "",
    ),
    (
        "inspection",
        "对本行政区域内禁止露天焚烧秸秆工作的巡查",
        "中华人民共和国大气污染防治法",
        "第七十七条",
        "",
    ),
    (
        "coercion",
        "对在乡、村庄规划区内违法建设逾期不改正的拆除",
        "中华人民共和国城乡规划法",
        "第六十五条",
        "",
    ),
    (
        "other",
        "对未依法送适龄儿童、少年入学接受义务教育的父母或者其他法定监护人批评教育、责令限期改正",
        "中华人民共和国义务教育法",
        "第五十八条",
        "",
    ),
    (
        "other",
        "个人之间、个人与单位之间土地使用权争议的处理",
        "中华人民共和国土地管理法",
        "第十四条",
        "第二款",
    ),
    ("other", "农村土地承包经营纠纷的调解", "中华人民共和国农村土地承包法", "第五十五条", "第一款"),
    ("other", "特困人员供养申请的受理审核", "社会救助暂行条例", "第十六条", ""),
)


# --- Parsed rows ------------------------------------------------------------------------

_TYPE_LETTERS: dict[str, PenaltyType] = {
    "W": PenaltyType.WARNING,
    "C": PenaltyType.CRITICISM,
    "F": PenaltyType.FINE,
    "G": PenaltyType.CONFISCATE_GAINS,
    "P": PenaltyType.CONFISCATE_PROPERTY,
    "S": PenaltyType.SUSPEND_LICENCE,
    "L": PenaltyType.LOWER_QUALIFICATION,
    "R": PenaltyType.REVOKE_LICENCE,
    "B": PenaltyType.RESTRICT_BUSINESS,
    "T": PenaltyType.SUSPEND_BUSINESS,
    "X": PenaltyType.CLOSE,
    "Q": PenaltyType.RESTRICT_PRACTICE,
    "D": PenaltyType.DETENTION,
    "O": PenaltyType.OTHER,
}


@dataclass(frozen=True)
class BasePenalty:
    """One real penalty item of the base table."""

    org: str
    key: str
    actor: str
    act: str
    law: str
    article: str
    paragraph: str
    penalty_types: tuple[str, ...]
    fine_basis: str  # "amount", "multiple" or ""
    fine_min: Decimal | None
    fine_max: Decimal | None
    flags: str
    group: str
    multiple_of: str

    @property
    def violation(self) -> str:
        return f"{self.actor}{self.act}"

    def name_for(self, party: str | None = None) -> str:
        return f"对{self.actor if party is None else party}{self.act}的处罚"

    @property
    def benchmark(self) -> bool:
        return "b" in self.flags

    @property
    def provincial(self) -> bool:
        return "p" in self.flags

    @property
    def minor(self) -> bool:
        return "m" in self.flags

    @property
    def grave(self) -> bool:
        return "g" in self.flags

    @property
    def delegable(self) -> bool:
        return "d" in self.flags


@dataclass(frozen=True)
class Template:
    org: str
    category: str
    text: str  # with {s}, or the full name for a single item
    law: str
    article: str
    paragraph: str
    group: str  # "" for a single item


@dataclass(frozen=True)
class Licence:
    org: str
    text: str  # with {p}
    phases: tuple[str, ...]
    law: str
    article: str
    paragraph: str


def _rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines() if line.strip()]


def _money(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _penalties() -> tuple[BasePenalty, ...]:
    rows = []
    for cells in _rows(_PENALTIES):
        org, key, actor, act, law, article, paragraph, types, basis, low, high = cells[:11]
        flags, group, multiple_of = cells[11:14]
        rows.append(
            BasePenalty(
                org=org,
                key=key,
                actor=actor,
                act=act,
                law=law,
                article=article,
                paragraph=paragraph,
                penalty_types=tuple(str(_TYPE_LETTERS[c]) for c in types),
                fine_basis={"a": "amount", "m": "multiple", "-": ""}[basis],
                fine_min=_money(low),
                fine_max=_money(high),
                flags=flags,
                group=group,
                multiple_of=multiple_of,
            )
        )
    return tuple(rows)


def _templates() -> tuple[Template, ...]:
    grouped = [Template(o, c, t, law, a, p, g) for o, c, t, law, a, p, g in _rows(_TEMPLATES)]
    singles = [Template(o, c, t, law, a, p, "") for o, c, t, law, a, p in _rows(_SINGLES)]
    return tuple(grouped + singles)


def _licences() -> tuple[Licence, ...]:
    return tuple(
        Licence(org, text, tuple(phases.split(",")), law, article, paragraph)
        for org, text, phases, law, article, paragraph in _rows(_LICENCES)
    )


SUBJECT_GROUPS: dict[str, tuple[str, ...]] = {
    key: tuple(parties.split(",")) for key, parties in _rows(_SUBJECTS)
}
PENALTIES: tuple[BasePenalty, ...] = _penalties()
TEMPLATES: tuple[Template, ...] = _templates()
LICENCES: tuple[Licence, ...] = _licences()
CATEGORIES: tuple[str, ...] = tuple(str(c) for c in ItemCategory)
